//! `-jit-lockstep` end to end: programs run under the launcher with the JIT at
//! threshold 1 (everything translatable runs as generated code) and every call into
//! generated code checked against the interpreter. Each must exit as it does
//! without the check, print the same, and `-d jit` must count the checks.
//!
//! Needs `dist/mvvm` and `dist/mvvm-jit.wasm` (`make build`) and the guest corpus
//! (`make guests`); the benchmark kernels (`bench/kernels.c`) are compiled here.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SYSROOT: &str = "/usr/riscv64-linux-gnu";

fn launcher() -> Command {
    let mut c = Command::new(Path::new(ROOT).join("dist/mvvm"));
    c.env_remove("MVVM_JIT_LOCKSTEP").env_remove("QEMU_LOG");
    c
}

/// Options of every run: the JIT at threshold 1, and a 1 MiB stack instead of 8 MiB,
/// since each check copies and compares all writable memory.
const JIT: [&str; 5] = ["--jit=on", "-jit-threshold", "1", "-s", "1M"];

/// Runs `program args` under the JIT at threshold 1, with `extra` options.
fn run(extra: &[&str], program: &Path, args: &[&str]) -> Output {
    launcher()
        .args(JIT)
        .args(extra)
        .arg(program)
        .args(args)
        .output()
        .expect("dist/mvvm (make build)")
}

/// The number in `-d jit`'s "lockstep: N checks".
fn checks(stderr: &str) -> u64 {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("jit: ")?.split("; lockstep: ").nth(1))
        .and_then(|s| s.strip_suffix(" checks")?.parse().ok())
        .unwrap_or_else(|| panic!("no lockstep count in:\n{stderr}"))
}

/// Runs `program` with and without lockstep checking (`lockstep` says how it is
/// asked for) and compares.
fn compare(program: &Path, args: &[&str], extra: &[&str], lockstep: fn(&mut Command)) {
    let name = program.display();
    let plain = run(extra, program, args);
    let mut checked = launcher();
    checked.args(JIT).args(["-d", "jit"]);
    lockstep(&mut checked);
    checked.args(extra).arg(program).args(args);
    let checked = checked.output().expect("dist/mvvm");
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(
        !stderr.contains("jit lockstep: divergence"),
        "{name}: {stderr}"
    );
    assert_eq!(
        checked.status.code(),
        plain.status.code(),
        "{name}: {stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&plain.stdout),
        "{name}: stdout"
    );
    assert!(checks(&stderr) > 0, "{name}: nothing checked:\n{stderr}");
}

fn flag(c: &mut Command) {
    c.arg("-jit-lockstep");
}

fn guest(name: &str) -> PathBuf {
    let p = Path::new(ROOT).join("build/guests").join(name);
    assert!(p.exists(), "{} is missing: run make guests", p.display());
    p
}

#[test]
fn corpus_programs_agree() {
    // Integer and FP code, floating-point flags, atomics, longjmp, a static PIE;
    // chosen to take about half a minute in all (malloc.c, printf_float.c and the
    // C++ programs make 50,000-600,000 calls each, too many for the suite).
    for name in [
        "strings.static",
        "intedge.static",
        "sort.static",
        "recursion.static",
        "math.static",
        "fenv.static",
        "atomics.static",
        "setjmp.static-pie",
    ] {
        compare(&guest(name), &[], &[], flag);
    }
    // The dynamic linker's relocation loops, and the environment variable.
    compare(
        &guest("hello.dynamic"),
        &[],
        &["-L", SYSROOT],
        |c: &mut Command| {
            c.env("MVVM_JIT_LOCKSTEP", "1");
        },
    );
}

#[test]
fn benchmark_kernels_agree() {
    let kernels = common::cross_gcc(
        "lockstep",
        "kernels",
        &["-O2", "-static"],
        "bench/kernels.c",
    );
    // Large enough that their loops run out of fuel (the `budget` exit): a call of
    // 65,536 iterations is replayed.
    for (kernel, n) in [
        ("sieve", "300000"),
        ("crc32", "300"),
        ("memcopy", "100"),
        ("matmul", "100"),
    ] {
        compare(&kernels, &[kernel, n], &[], flag);
    }
}

#[test]
fn without_the_jit_lockstep_is_refused() {
    for extra in [&["--jit=off"][..], &["--jit=on", "-jit-threshold", "0"]] {
        let out = launcher()
            .args(extra)
            .arg("-jit-lockstep")
            .arg(guest("hello.static"))
            .output()
            .expect("dist/mvvm");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(stderr.contains("-jit-lockstep"), "{extra:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}
