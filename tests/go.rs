//! A Go program (`tests/go/main.go`, cross-compiled by `make go-guest` with
//! Debian's golang-go: static, `GOARCH=riscv64`) on every MVVM runner: goroutines
//! on green threads, timers, contention, asynchronous preemption (SIGURG sent to
//! one thread), net/http over loopback and os/exec of a riscv64 child. qemu-user
//! cannot run the child without binfmt_misc, so the expected output is written
//! out in `tests/go/expected.txt` (what the rest of the program prints under
//! qemu-riscv64 and Linux). Missing tools or artifacts are failures.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn program() -> PathBuf {
    let p = Path::new(ROOT).join("build/go/gotest.rv");
    assert!(p.exists(), "{} is missing: run make go-guest", p.display());
    p
}

fn expected() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/go/expected.txt")).unwrap()
}

fn check(what: &str, cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        expected(),
        "{what}: stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what}: {}", out.status);
}

#[test]
fn native() {
    check(
        "native",
        Command::new(env!("CARGO_BIN_EXE_mvvm")).arg(program()),
    );
}

#[test]
fn launcher_with_and_without_the_jit() {
    let launcher = Path::new(ROOT).join("dist/mvvm");
    check(
        "launcher",
        Command::new(&launcher).arg("--jit=off").arg(program()),
    );
    check(
        "launcher-jit",
        Command::new(&launcher)
            .args(["--jit=on", "-jit-threshold", "1"])
            .arg(program()),
    );
}

#[test]
fn wasmtime_run() {
    let wasmtime = std::env::var("WASMTIME").unwrap_or("wasmtime".into());
    check(
        "wasmtime",
        Command::new(wasmtime)
            .args(["run", "-S", "inherit-network", "--dir", "/::/"])
            .arg(Path::new(ROOT).join("dist/mvvm.wasm"))
            .arg(program()),
    );
}
