#!/usr/bin/env bash
# `make bench`: the performance report, one table from one run. Each workload is one
# C program (built by bench/bench.mk into build/bench), timed as:
#   native    x86-64, gcc -O2
#   wasm      the same C compiled to wasm32-wasi by clang-16 -O2 and run by the same
#             `wasmtime run` (precompiled): the ceiling for any emulator hosted in wasm
#   qemu      qemu-riscv64 running the riscv64 build (riscv64-linux-gnu-gcc -O2 -static)
#   mvvm-int  MVVM's interpreter: the component under `wasmtime run` (precompiled)
#   mvvm-jit  MVVM with its JIT: `$MVVM_DIST/mvvm --jit=on`, default threshold, module
#             cache warm (a cold run first, for the JIT's compile time)
# Best of 3 wall-clock seconds; every run must print what the native run printed.
# MIPS = guest instructions retired (MVVM's count) / the JIT's time; comp% = the JIT's
# compile time as a percentage of the cold run's time. The workloads: the compute
# kernels of bench/kernels.c, Lua 5.4 running bench/bench.lua, and SQLite running
# bench/sqlite_bench.c; then geometric means of the ratios with the project's
# targets, the cold JIT reports, and a static hello world start to exit.
# MVVM_DIST (default dist) names the directory of mvvm.wasm and mvvm.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
dist=${MVVM_DIST:-dist}
for f in kernels lua sqlite; do
  for t in x86 rv cwasm; do
    [[ -f $out/$f.$t ]] || { echo "bench/run.sh: $out/$f.$t is missing: run make bench" >&2; exit 1; }
  done
done
wasmtime compile -o "$out/mvvm.cwasm" "$dist/mvvm.wasm"
mvvm=(wasmtime run --allow-precompiled --dir /::/ --env PWD="$PWD" "$out/mvvm.cwasm")
jit=("$dist/mvvm" --jit=on)
wasm=(wasmtime run --allow-precompiled --dir .)

# label | program in build/bench | arguments. The first four are the compute kernels
# that the targets are stated for. Sizes keep native runs near 0.05-0.1 s, so that
# the interpreter's runs (20-100x longer) keep the whole report to a few minutes.
workloads=(
  "sieve 3000000|kernels|sieve 3000000"
  "crc32 3000|kernels|crc32 3000"
  "memcopy 3000|kernels|memcopy 3000"
  "matmul 250|kernels|matmul 250"
  "lua bench.lua 1|lua|bench/bench.lua 1"
  "sqlite 15000|sqlite|15000"
)
compute=4

expect= # what the native run printed; every other run must print the same
run() { # runs a command, fails loudly unless it succeeds and prints $expect
  local got
  if ! got=$("$@" 2>"$out/stderr"); then
    echo "bench/run.sh: failed: $*" >&2
    cat "$out/stderr" >&2
    exit 1
  fi
  if [[ $got != "$expect" ]]; then
    printf 'bench/run.sh: %s\n  printed: %s\n  native printed: %s\n' "$*" "$got" "$expect" >&2
    exit 1
  fi
}
now() { date +%s.%N; }
secs() { # best of 3 wall-clock seconds of a command
  local best=999999 t0 t1
  for _ in 1 2 3; do
    t0=$(now); run "$@"; t1=$(now)
    best=$(echo "if ($t1 - $t0 < $best) $t1 - $t0 else $best" | bc -l)
  done
  printf '%.3f' "$best"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
geomean() { # geometric mean of the arguments
  local sum=0 x
  for x; do sum="$sum + l($x)"; done
  printf '%.2f' "$(echo "e(($sum) / $#)" | bc -l)"
}

row='%-16s %8s %8s %8s %8s %8s %8s %8s %8s %8s %6s %6s\n'
printf "$row" workload native wasm qemu mvvm-int mvvm-jit int/jit jit/qemu jit/nat jit/wasm MIPS comp%
jq=() jn=() jw=() ij=() notes=()
max_compile=0
for w in "${workloads[@]}"; do
  IFS='|' read -r label prog args <<<"$w"
  read -ra argv <<<"$args"
  expect=$("$out/$prog.x86" "${argv[@]}")
  n=$(secs "$out/$prog.x86" "${argv[@]}")
  a=$(secs "${wasm[@]}" "$out/$prog.cwasm" "${argv[@]}")
  q=$(secs qemu-riscv64 "$out/$prog.rv" "${argv[@]}")
  m=$(secs "${mvvm[@]}" "$out/$prog.rv" "${argv[@]}")

  # A cold JIT run first (empty module cache; the launcher's compiled component is
  # linked in so that it is not compiled again), for the compile time and the
  # instruction count.
  cold=$(mktemp -d)
  mkdir -p "$cold/mvvm"
  ln -s "${XDG_CACHE_HOME:-$HOME/.cache}"/mvvm/*.cwasm "$cold/mvvm/" 2>/dev/null || true
  t0=$(now)
  XDG_CACHE_HOME=$cold run "${jit[@]}" -d jit,stats "$out/$prog.rv" "${argv[@]}"
  t1=$(now)
  report=$(sed -n 's/^jit: //p' "$out/stderr")
  insns=$(sed -n 's/^stats: \([0-9]*\) .*/\1/p' "$out/stderr")
  rm -rf "$cold"
  compile=$(sed -n 's/.* compiled in \([0-9.]*\) s.*/\1/p' <<<"$report")
  compile=${compile:-0}
  pct=$(printf '%.1f' "$(echo "100 * $compile / ($t1 - $t0)" | bc -l)")
  notes+=("$label: ${report:-no report}; compiling took $pct % of the cold run ($(printf '%.3f' "$(echo "$t1 - $t0" | bc -l)") s)")
  max_compile=$(echo "if ($compile > $max_compile) $compile else $max_compile" | bc -l)

  j=$(secs "${jit[@]}" "$out/$prog.rv" "${argv[@]}")
  printf "$row" "$label" "$n" "$a" "$q" "$m" "$j" "$(ratio "$m" "$j")" "$(ratio "$j" "$q")" \
    "$(ratio "$j" "$n")" "$(ratio "$j" "$a")" "$(printf '%.0f' "$(echo "$insns / $j / 1000000" | bc -l)")" "$pct"
  ij+=("$(ratio "$m" "$j")") jq+=("$(ratio "$j" "$q")") jn+=("$(ratio "$j" "$n")") jw+=("$(ratio "$j" "$a")")
done

verdict() { # "met" when $1 <= $2
  if (($(echo "$1 <= $2" | bc -l))); then echo met; else echo MISSED; fi
}
echo
echo "Geometric means (target in brackets):"
k=$compute
printf '  compute kernels: jit/qemu %s (<= 1.0: %s), jit/nat %s (<= 2.5: %s), jit/wasm %s (<= 2.0: %s), int/jit %s\n' \
  "$(geomean "${jq[@]:0:k}")" "$(verdict "$(geomean "${jq[@]:0:k}")" 1.0)" \
  "$(geomean "${jn[@]:0:k}")" "$(verdict "$(geomean "${jn[@]:0:k}")" 2.5)" \
  "$(geomean "${jw[@]:0:k}")" "$(verdict "$(geomean "${jw[@]:0:k}")" 2.0)" "$(geomean "${ij[@]:0:k}")"
printf '  all workloads:   jit/qemu %s, jit/nat %s, jit/wasm %s, int/jit %s\n' \
  "$(geomean "${jq[@]}")" "$(geomean "${jn[@]}")" "$(geomean "${jw[@]}")" "$(geomean "${ij[@]}")"
printf '  JIT compile time, longest cold run: %.3f s (< 0.5 s, 5 %% of a 10-second run: %s)\n' \
  "$max_compile" "$(verdict "$max_compile" 0.5)"
echo
echo "JIT, cold (module cache empty):"
printf '  %s\n' "${notes[@]}"

expect=$(qemu-riscv64 "$out/hello.rv")
echo
echo "static hello world, start to exit: wasmtime run (precompiled) $(secs "${mvvm[@]}" "$out/hello.rv") s," \
  "dist/mvvm launcher (warm cache) $(secs "${jit[@]}" "$out/hello.rv") s"
