#!/usr/bin/env bash
# `make bench`: one table from one run. Each compute kernel (bench/kernels.c) runs as
# native x86-64 (gcc -O2), under qemu-riscv64, and under MVVM's interpreter in the
# component under `wasmtime run` (precompiled, so compile time is not counted).
# MIPS = guest instructions retired (MVVM's count) / wall time. Also: static hello
# world start-to-exit through `wasmtime run` and through the native launcher.
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

printf '%-16s %9s %9s %9s %8s %8s %8s\n' kernel native qemu mvvm-int mvvm/nat mvvm/qemu MIPS
for k in "sieve 3000000" "crc32 3000" "memcopy 3000" "matmul 250"; do
  set -- $k
  n=$(secs "$out/kernels.x86" "$1" "$2")
  q=$(secs qemu-riscv64 "$out/kernels.rv" "$1" "$2")
  m=$(secs "${mvvm[@]}" "$out/kernels.rv" "$1" "$2")
  insns=$("${mvvm[@]}" -d stats "$out/kernels.rv" "$1" "$2" 2>&1 >/dev/null | sed -n 's/^stats: \([0-9]*\) .*/\1/p')
  printf '%-16s %9s %9s %9s %8.1f %8.1f %8.0f\n' "$1 $2" "$n" "$q" "$m" \
    "$(echo "$m / $n" | bc -l)" "$(echo "$m / $q" | bc -l)" "$(echo "$insns / $m / 1000000" | bc -l)"
done
riscv64-linux-gnu-gcc -O2 -static -o "$out/hello.rv" tests/guest/hello.c
echo
echo "static hello world, start to exit: wasmtime run (precompiled) $(secs "${mvvm[@]}" "$out/hello.rv") s," \
  "dist/mvvm launcher (warm cache) $(secs dist/mvvm "$out/hello.rv") s"
