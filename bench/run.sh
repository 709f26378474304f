#!/usr/bin/env bash
# `make bench`: one table from one run. Each compute kernel (bench/kernels.c) runs as
# native x86-64 (gcc -O2), under qemu-riscv64, under MVVM's interpreter in the
# component under `wasmtime run` (precompiled, so compile time is not counted), and
# under MVVM with its JIT (`dist/mvvm --jit=on`, default threshold; best of 3, so
# the later runs find the generated modules in the launcher's cache: the JIT's cold
# compile time is printed below the table). MIPS = guest instructions retired
# (MVVM's count) / wall time of the JIT run. Also: static hello world start-to-exit
# through `wasmtime run` and through the native launcher.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
gcc -O2 -o "$out/kernels.x86" bench/kernels.c
riscv64-linux-gnu-gcc -O2 -static -o "$out/kernels.rv" bench/kernels.c
wasmtime compile -o "$out/mvvm.cwasm" dist/mvvm.wasm
mvvm=(wasmtime run --allow-precompiled --dir /::/ --env PWD="$PWD" "$out/mvvm.cwasm")

secs() { # best of 3 wall-clock seconds of a command
  local best=999999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    best=$(echo "if ($t1 - $t0 < $best) $t1 - $t0 else $best" | bc -l)
  done
  printf '%.3f' "$best"
}

jit=(dist/mvvm --jit=on)
printf '%-16s %8s %8s %8s %8s %8s %8s %8s %6s\n' kernel native qemu mvvm-int mvvm-jit int/jit jit/qemu jit/nat MIPS
compile_notes=()
for k in "sieve 3000000" "crc32 3000" "memcopy 3000" "matmul 250"; do
  set -- $k
  n=$(secs "$out/kernels.x86" "$1" "$2")
  q=$(secs qemu-riscv64 "$out/kernels.rv" "$1" "$2")
  m=$(secs "${mvvm[@]}" "$out/kernels.rv" "$1" "$2")
  # A cold JIT run (empty module cache) first, for its compile time.
  cold=$(mktemp -d); mkdir -p "$cold/mvvm"; ln -s "${XDG_CACHE_HOME:-$HOME/.cache}"/mvvm/*.cwasm "$cold/mvvm/" 2>/dev/null || true
  report=$(XDG_CACHE_HOME=$cold "${jit[@]}" -d jit "$out/kernels.rv" "$1" "$2" 2>&1 >/dev/null | grep '^jit:' || true)
  rm -rf "$cold"
  compile_notes+=("$1: ${report#jit: }")
  j=$(secs "${jit[@]}" "$out/kernels.rv" "$1" "$2")
  insns=$("${jit[@]}" -d stats "$out/kernels.rv" "$1" "$2" 2>&1 >/dev/null | sed -n 's/^stats: \([0-9]*\) .*/\1/p')
  printf '%-16s %8s %8s %8s %8s %8.1f %8.2f %8.1f %6.0f\n' "$1 $2" "$n" "$q" "$m" "$j" \
    "$(echo "$m / $j" | bc -l)" "$(echo "$j / $q" | bc -l)" "$(echo "$j / $n" | bc -l)" \
    "$(echo "$insns / $j / 1000000" | bc -l)"
done
echo
echo "JIT, cold (module cache empty):"
printf '  %s\n' "${compile_notes[@]}"
riscv64-linux-gnu-gcc -O2 -static -o "$out/hello.rv" tests/guest/hello.c
echo
echo "static hello world, start to exit: wasmtime run (precompiled) $(secs "${mvvm[@]}" "$out/hello.rv") s," \
  "dist/mvvm launcher (warm cache) $(secs dist/mvvm "$out/hello.rv") s"
