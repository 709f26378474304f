/* wasm32-wasi stand-in for <setjmp.h>, which Debian's wasi-libc (2022) does not have
 * (clang 16 cannot lower setjmp/longjmp to wasm without it). Lua's ldo.c is the only
 * file of the benchmarks that includes it, and it includes it before it picks its
 * error-handling macros, so this header picks them: a Lua error aborts the program
 * instead of unwinding to the nearest pcall. bench/bench.lua raises no error (and
 * uses no coroutines: a yield from C is a throw too). */
#ifndef MVVM_BENCH_WASI_SETJMP_H
#define MVVM_BENCH_WASI_SETJMP_H
#include <stdlib.h>
#define LUAI_THROW(L, c) abort()
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
#endif
