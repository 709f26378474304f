//! Programs built with other toolchains than C, on every MVVM runner:
//! - Go (`tests/go/main.go`, Debian's golang-go, static `GOARCH=riscv64`):
//!   goroutines on green threads, timers, contention, asynchronous preemption
//!   (SIGURG sent to one thread), net/http over loopback, os/exec of itself;
//! - Rust (`tests/rust`, `riscv64gc-unknown-linux-gnu` linked by
//!   riscv64-linux-gnu-gcc, static and dynamic): threads, channels, scoped
//!   threads, a caught panic, the file system, std::process::Command of itself
//!   with piped stdin and stdout.
//!
//! `make userland-guests` builds them. qemu-user cannot run their child processes
//! without binfmt_misc, so the expected output is written out
//! (`tests/go/expected.txt`, `tests/rust/expected.txt`: what Linux prints; the
//! parts qemu-riscv64 can run print the same). Missing tools or artifacts are
//! failures.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SYSROOT: &str = "/usr/riscv64-linux-gnu";

/// A built program: its path, its expected output, and whether it is dynamic.
struct Program {
    path: PathBuf,
    expected: String,
    dynamic: bool,
}

fn program(built: &str, expected: &str, dynamic: bool) -> Program {
    let path = Path::new(ROOT).join(built);
    assert!(
        path.exists(),
        "{} is missing: run make userland-guests",
        path.display()
    );
    let expected = std::fs::read_to_string(Path::new(ROOT).join(expected)).unwrap();
    Program {
        path,
        expected,
        dynamic,
    }
}

fn programs() -> Vec<(&'static str, Program)> {
    vec![
        (
            "go",
            program("build/go/gotest.rv", "tests/go/expected.txt", false),
        ),
        (
            "rust static",
            program(
                "build/rust/static/rusttest",
                "tests/rust/expected.txt",
                false,
            ),
        ),
        (
            "rust dynamic",
            program(
                "build/rust/dynamic/rusttest",
                "tests/rust/expected.txt",
                true,
            ),
        ),
    ]
}

/// Runs every program with `command` (the runner and its options before the
/// emulator's own) and compares its output and status.
fn check(runner: &str, command: impl Fn() -> Command) {
    for (name, p) in programs() {
        let mut cmd = command();
        if p.dynamic {
            cmd.args(["-L", SYSROOT]);
        }
        let out = cmd
            .arg(&p.path)
            .output()
            .unwrap_or_else(|e| panic!("{runner}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            p.expected,
            "{name} on {runner}: stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{name} on {runner}: {}", out.status);
    }
}

#[test]
fn native() {
    check("native", || Command::new(env!("CARGO_BIN_EXE_mvvm")));
}

#[test]
fn launcher_with_and_without_the_jit() {
    let launcher = Path::new(ROOT).join("dist/mvvm");
    check("launcher", || {
        let mut c = Command::new(&launcher);
        c.arg("--jit=off");
        c
    });
    check("launcher-jit", || {
        let mut c = Command::new(&launcher);
        c.args(["--jit=on", "-jit-threshold", "1"]);
        c
    });
}

#[test]
fn wasmtime_run() {
    let wasmtime = std::env::var("WASMTIME").unwrap_or("wasmtime".into());
    check("wasmtime", || {
        let mut c = Command::new(&wasmtime);
        c.args(["run", "-S", "inherit-network", "--dir", "/::/"])
            .arg(Path::new(ROOT).join("dist/mvvm.wasm"));
        c
    });
}
