#!/usr/bin/env bash
# `make bench-setup`: what `make bench` needs beyond `make setup`, installed only when
# missing (so it is quick to run again):
# - Debian's clang 16, its wasm linker, wasi-libc and clang's wasm32 runtime library,
#   which build the wasm32-wasi column (the same C compiled straight to wasm);
# - the C sources of two programs nobody here wrote, from crates.io through cargo:
#   Lua 5.4 from the lua-src crate and the SQLite amalgamation from libsqlite3-sys
#   (versions pinned by bench/sources/Cargo.toml and Cargo.lock). They are linked
#   as build/bench/src/{lua,sqlite} to where cargo unpacked them.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)
if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
fi

manifest=bench/sources/Cargo.toml
cargo=${CARGO:-cargo}
"$cargo" fetch --locked --manifest-path "$manifest"
meta=$("$cargo" metadata --locked --format-version 1 --manifest-path "$manifest")
crate_dir() { # where cargo unpacked crate $1 (from its manifest_path in the metadata)
  grep -o "\"manifest_path\":\"[^\"]*/$1-[0-9][^/\"]*/Cargo.toml\"" <<<"$meta" | sed 's/^"manifest_path":"//; s|/Cargo.toml"$||'
}
mkdir -p build/bench/src
ln -sfn "$(crate_dir lua-src)/lua-5.4.9" build/bench/src/lua
ln -sfn "$(crate_dir libsqlite3-sys)/sqlite3" build/bench/src/sqlite
for f in build/bench/src/lua/lvm.c build/bench/src/sqlite/sqlite3.c; do
  [[ -f $f ]] || { echo "bench/setup.sh: $f is missing after cargo fetch" >&2; exit 1; }
done
