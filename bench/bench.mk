# bench/bench.mk - builds the programs `make bench` runs (bench/run.sh), into
# build/bench, each for three targets from the same C source:
#   NAME.x86    native x86-64, gcc -O2
#   NAME.rv     riscv64, riscv64-linux-gnu-gcc -O2 -static (run by qemu and MVVM)
#   NAME.wasm   wasm32-wasi, Debian's clang-16 -O2 with its wasi-libc (Debian keeps
#               wasi-libc's headers and libraries in the multiarch directories
#               clang-16 searches for that target: no --sysroot needed), and
#   NAME.cwasm  that compiled ahead of time by `wasmtime compile` (rebuilt when the
#               wasmtime binary changes, since a .cwasm is tied to its version).
# NAME is kernels (bench/kernels.c), lua (Lua 5.4 from the lua-src crate with
# bench/lua_main.c) and sqlite (the amalgamation from libsqlite3-sys with
# bench/sqlite_bench.c). The crate sources are linked into build/bench/src by
# bench/setup.sh, which must have run before this file is read (`make bench` runs
# it first, then `make bench-bins`). A binary is rebuilt when its sources or this
# file change.

BENCH_MK := $(lastword $(MAKEFILE_LIST))
BENCH_OUT := build/bench
BENCH_LUA := $(BENCH_OUT)/src/lua
BENCH_SQLITE := $(BENCH_OUT)/src/sqlite

BENCH_CC_x86 := gcc
BENCH_CC_rv := riscv64-linux-gnu-gcc -static
BENCH_CC_wasm := clang-16 --target=wasm32-wasi
BENCH_CFLAGS := -O2 -g0

# Lua, without luac.c (the bytecode compiler's command; the crate does not ship
# lua.c, the interpreter's command, which bench/lua_main.c stands in for). For wasm:
# wasi-libc's emulations of signal() and clock(), which lstate.h and os.clock use,
# and bench/wasi/setjmp.h, which turns Lua's error unwinding into abort() since
# this wasi-libc has no setjmp/longjmp. Warnings off, as the crate builds it.
BENCH_LUA_C = $(filter-out %/luac.c,$(wildcard $(BENCH_LUA)/*.c))
BENCH_LUA_FLAGS_wasm := -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -Ibench/wasi
BENCH_LUA_LIBS_wasm := -lwasi-emulated-signal -lwasi-emulated-process-clocks

# SQLite the same on every target: no mutexes (wasm has no threads), no
# extension loading (no dlopen), temporary tables and sort spills in memory.
BENCH_SQLITE_FLAGS := -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_TEMP_STORE=3

BENCH_WASMTIME := $(shell command -v wasmtime)
BENCH_BINS := $(foreach n,kernels lua sqlite,$(foreach t,x86 rv cwasm,$(BENCH_OUT)/$(n).$(t))) \
  $(BENCH_OUT)/hello.rv

.PHONY: bench-bins
bench-bins: $(BENCH_BINS)

# Outputs are written to a temporary name and renamed, so that an interrupted build
# leaves no half-written binary behind.
$(addprefix $(BENCH_OUT)/kernels.,x86 rv wasm): $(BENCH_OUT)/kernels.%: bench/kernels.c $(BENCH_MK)
	@mkdir -p $(BENCH_OUT)
	$(BENCH_CC_$*) $(BENCH_CFLAGS) -o $@.tmp $< -lm && mv $@.tmp $@

$(addprefix $(BENCH_OUT)/lua.,x86 rv wasm): $(BENCH_OUT)/lua.%: bench/lua_main.c $(BENCH_LUA_C) bench/wasi/setjmp.h $(BENCH_MK)
	$(BENCH_CC_$*) $(BENCH_CFLAGS) -w $(BENCH_LUA_FLAGS_$*) -I$(BENCH_LUA) -o $@.tmp $< $(BENCH_LUA_C) -lm $(BENCH_LUA_LIBS_$*) \
	  && mv $@.tmp $@

# sqlite3.c on its own, since it takes most of a minute to compile.
$(addprefix $(BENCH_OUT)/sqlite3.,x86.o rv.o wasm.o): $(BENCH_OUT)/sqlite3.%.o: $(BENCH_SQLITE)/sqlite3.c $(BENCH_MK)
	$(BENCH_CC_$*) $(BENCH_CFLAGS) $(BENCH_SQLITE_FLAGS) -c -o $@.tmp $< && mv $@.tmp $@

$(addprefix $(BENCH_OUT)/sqlite.,x86 rv wasm): $(BENCH_OUT)/sqlite.%: bench/sqlite_bench.c $(BENCH_OUT)/sqlite3.%.o $(BENCH_MK)
	$(BENCH_CC_$*) $(BENCH_CFLAGS) $(BENCH_SQLITE_FLAGS) -I$(BENCH_SQLITE) -o $@.tmp $< $(BENCH_OUT)/sqlite3.$*.o -lm \
	  && mv $@.tmp $@

$(BENCH_OUT)/%.cwasm: $(BENCH_OUT)/%.wasm $(BENCH_WASMTIME)
	wasmtime compile -o $@.tmp $< && mv $@.tmp $@

$(BENCH_OUT)/hello.rv: tests/guest/hello.c $(BENCH_MK)
	@mkdir -p $(BENCH_OUT)
	$(BENCH_CC_rv) $(BENCH_CFLAGS) -o $@.tmp $< && mv $@.tmp $@
