# MVVM build, test and benchmark entry points. `make help` lists them.

WASMTIME_VERSION := 48.0.8
WAC_VERSION := 0.12.0
CARGO ?= cargo
DIST := dist
SYSROOT ?= /usr/riscv64-linux-gnu

.DEFAULT_GOAL := build
.PHONY: debian-sysroot help setup build native component compose jco launcher test unit e2e userland-guests test-host demo lint fmt bench bench-setup clean fuzz-isa fuzz-decode

include tests/guests.mk
include bench/bench.mk

help:
	@echo "make setup    install toolchains and tools (rustup target, Debian cross gcc, qemu-user, wasmtime $(WASMTIME_VERSION), wac $(WAC_VERSION))"
	@echo "make build    build dist/mvvm.wasm (component), dist/mvvm (launcher) and the native test binary"
	@echo "make demo     setup + build + run a sample RISC-V program under 'wasmtime run'"
	@echo "make test     setup + build + the whole test suite (unit tests, e2e corpus on every runner)"
	@echo "make bench    performance table: native x86-64, wasm32-wasi, qemu-riscv64, MVVM interpreter and JIT"
	@echo "              on compute kernels, Lua and SQLite (bench-setup installs clang-16, wasi-libc, the sources)"
	@echo "make fuzz-isa differential ISA fuzzing against qemu-riscv64 for SECONDS (default 60)"
	@echo "make fuzz-decode  every 2^32 instruction word through decode + disasm (~20 min on 2 cores)"
	@echo "make lint     rustfmt check + clippy (native and wasm32-wasip2)"

# ---- set-up ---------------------------------------------------------------------------
setup:
	rustup target add wasm32-wasip2 riscv64gc-unknown-linux-gnu
	@if ! command -v riscv64-linux-gnu-gcc >/dev/null || ! command -v riscv64-linux-gnu-g++ >/dev/null \
	    || ! command -v qemu-riscv64 >/dev/null || ! command -v bc >/dev/null \
	    || ! command -v gdb-multiarch >/dev/null || ! command -v go >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    gcc-riscv64-linux-gnu g++-riscv64-linux-gnu qemu-user bc gdb-multiarch golang-go; fi
	@if ! wasmtime --version 2>/dev/null | grep -q "^wasmtime $(WASMTIME_VERSION)"; then \
	  $(CARGO) install --locked wasmtime-cli@$(WASMTIME_VERSION); fi
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; fi
	@# wac without its registry client (only local composition is used): half the build.
	@if ! wac --version 2>/dev/null | grep -q "^wac-cli $(WAC_VERSION)"; then \
	  $(CARGO) install --locked --no-default-features wac-cli@$(WAC_VERSION); fi

# ---- build ----------------------------------------------------------------------------
build: component launcher native

# Two components from one crate: the portable world (dist/mvvm.wasm, WASI imports
# only, interpreter only) and the JIT world (dist/mvvm-jit.wasm, `--features jit`,
# which imports mvvm:vm/jit from the launcher). The JIT build has its own target
# directory so that the two feature sets do not keep rebuilding each other.
component:
	$(CARGO) build --release --target wasm32-wasip2 --lib
	mkdir -p $(DIST)
	cp target/wasm32-wasip2/release/mvvm.wasm $(DIST)/mvvm.wasm
	$(CARGO) build --release --target wasm32-wasip2 --lib --features jit --target-dir target/jit
	cp target/jit/wasm32-wasip2/release/mvvm.wasm $(DIST)/mvvm-jit.wasm
	$(MAKE) compose

# The example embedders with MVVM plugged into their mvvm:vm/machine import:
# examples/plugin-host becomes a command that plain `wasmtime run` runs,
# examples/http-edge a wasi:http proxy that `wasmtime serve -S cli` serves.
compose:
	$(CARGO) build --release --target wasm32-wasip2 -p plugin-host -p http-edge
	for e in plugin-host http-edge; do \
	  cp target/wasm32-wasip2/release/$$(echo $$e | tr - _).wasm $(DIST)/$$e.wasm && \
	  wac plug $(DIST)/$$e.wasm --plug $(DIST)/mvvm.wasm -o $(DIST)/$$e.composed.wasm || exit 1; \
	done

launcher:
	$(CARGO) build --release -p mvvm-host
	mkdir -p $(DIST)
	cp target/release/mvvm-host $(DIST)/mvvm

native:
	$(CARGO) build --release --bin mvvm

# MVVM under a host nobody here wrote: the component transpiled to JavaScript by jco
# and run by Node.js (tests/jco/run.mjs; the e2e runner `jco`). package.json pins exact
# versions; `npm ci` is not used because npm rejects this lock file for the platform
# packages jco lists as optional.
jco: component
	cd tests/jco && npm install --no-audit --no-fund --loglevel=error
	cd tests/jco && npx jco transpile ../../$(DIST)/mvvm.wasm -o out --quiet

# ---- run ------------------------------------------------------------------------------
demo: setup build $(GUEST_OUT)/hello.dynamic
	wasmtime run --dir /::/ --env PWD=$(CURDIR) $(DIST)/mvvm.wasm -L $(SYSROOT) $(GUEST_OUT)/hello.dynamic

# ---- tests ----------------------------------------------------------------------------
# Guests build two at a time; the cargo steps run one after another.
test: setup
	$(MAKE) build
	$(MAKE) jco
	$(MAKE) -j2 guests
	$(MAKE) userland-guests
	$(MAKE) unit e2e

# Unit tests, bad input, the fixed-seed ISA fuzzer against qemu, the disassembler
# against objdump, the decoder harness, and the GDB stub driven by gdb-multiarch.
unit:
	$(CARGO) test --release --lib --test bad_input --test isa_fuzz --test disasm --test decode_fuzz --test gdb

# The launcher's own unit tests (argument parsing); its behaviour is covered by the
# e2e `launcher` runner. Not part of `test`: it builds wasmtime a second time.
test-host:
	$(CARGO) test --release -p mvvm-host

# The guest corpus, the hand-written assembly tests (tests/asm/*.S), the
# embedding API (natively and as the composed example components: the plugin host
# under `wasmtime run`, the edge service under `wasmtime serve`), snapshots, and
# the Go and Rust programs, a Debian sid userland, and polling a pipe on stdin, on
# every runner; and JIT-vs-interpreter lockstep checking of some of the corpus.
e2e: guests userland-guests debian-sysroot
	MVVM_RUNNERS=native,launcher,launcher-jit,wasmtime,jco $(CARGO) test --release --test e2e --test asm --test machine_api --test edge --test snapshot --test userland --test debian --test stdin --test lockstep

# tests/go (a Go module) cross-compiled with Debian's golang-go: static riscv64;
# tests/rust for riscv64gc-unknown-linux-gnu, linked by the cross gcc, static and
# dynamic.
userland-guests: build/go/gotest.rv build/rust/static/rusttest build/rust/dynamic/rusttest
build/go/gotest.rv: tests/go/main.go tests/go/go.mod
	mkdir -p build/go
	cd tests/go && CGO_ENABLED=0 GOOS=linux GOARCH=riscv64 go build -buildvcs=false -o ../../$@ .
RUST_RV := riscv64gc-unknown-linux-gnu
RUST_RV_ENV := CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_LINKER=riscv64-linux-gnu-gcc
build/rust/static/rusttest: tests/rust/src/main.rs tests/rust/Cargo.toml
	mkdir -p build/rust/static
	cd tests/rust && $(RUST_RV_ENV) RUSTFLAGS="-C target-feature=+crt-static" \
	  $(CARGO) build --release --target $(RUST_RV) --target-dir ../../build/rust/static-target
	cp build/rust/static-target/$(RUST_RV)/release/rusttest $@
build/rust/dynamic/rusttest: tests/rust/src/main.rs tests/rust/Cargo.toml
	mkdir -p build/rust/dynamic
	cd tests/rust && $(RUST_RV_ENV) $(CARGO) build --release --target $(RUST_RV) --target-dir ../../build/rust/dynamic-target
	cp build/rust/dynamic-target/$(RUST_RV)/release/rusttest $@

# Debian sid's riscv64 busybox, bash, dash, coreutils, python3, perl, sqlite3 and
# lua, downloaded by apt with its own state directories and unpacked (tests/debian.rs
# runs this itself when the sysroot is missing).
debian-sysroot:
	tests/debian/fetch.sh build/debian/sysroot

# Random instruction sequences under qemu-riscv64 and MVVM (tests/isa_fuzz.rs); a
# mismatch leaves a reproducer in tests/isa_regressions/.
SECONDS ?= 60
fuzz-isa:
	MVVM_ISA_FUZZ_SECONDS=$(SECONDS) $(CARGO) test --release --test isa_fuzz -- --nocapture

# Every 32-bit word (and every halfword) through the decoder and disassembler.
fuzz-decode:
	MVVM_DECODE_EXHAUSTIVE=1 $(CARGO) test --release --test decode_fuzz all_words_when_asked -- --nocapture

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 --lib -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 -p plugin-host -p http-edge -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 --lib --features jit --target-dir target/jit -- -D warnings

fmt:
	$(CARGO) fmt --all

clean: clean-guests
	rm -rf $(DIST)
	$(CARGO) clean

# The performance report (bench/run.sh). bench-setup installs clang-16 and wasi-libc
# and fetches the Lua and SQLite sources (bench/setup.sh); bench-bins then builds
# the workloads (bench/bench.mk) in a second make, which reads the fetched sources.
# DIST=path runs the MVVM of another build.
bench: setup build bench-setup
	$(MAKE) -j2 bench-bins
	MVVM_DIST=$(DIST) bench/run.sh

bench-setup:
	CARGO=$(CARGO) bench/setup.sh
