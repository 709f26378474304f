//! A real distribution userland: Debian sid's riscv64 busybox, bash, dash,
//! coreutils, python3, perl, sqlite3 and lua, run by every MVVM runner on the
//! scripts in `tests/debian/cases/`.
//!
//! `tests/debian/fetch.sh` downloads the packages with apt (its own state and
//! cache, `APT::Architecture=riscv64`) and unpacks them into
//! `build/debian/sysroot` the first time, which then serves as `-L`: sid's glibc
//! is newer than the cross toolchain's, so the programs need their own.
//!
//! A case `NAME.EXT` runs under the interpreter its extension names. Its oracle
//! is `NAME.expected` when there is one: the scripts whose children are riscv64
//! programs (shell pipelines, `subprocess`, `system`, `io.popen`), which
//! qemu-user cannot run without binfmt_misc. Those files hold what Linux prints:
//! each was checked against the same script run by the host's own bash, perl or
//! python3 where the host has them. Every other case is compared with
//! qemu-riscv64 running the same program on the same script, at test time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Longest one script may take on one runner before the test fails.
const TIMEOUT_SECS: &str = "600";

/// The sysroot, fetched once per test binary.
fn sysroot() -> &'static Path {
    static SYSROOT: OnceLock<PathBuf> = OnceLock::new();
    SYSROOT.get_or_init(|| {
        let root = Path::new(ROOT).join("build/debian/sysroot");
        let status = Command::new(Path::new(ROOT).join("tests/debian/fetch.sh"))
            .arg(&root)
            .status()
            .expect("cannot run tests/debian/fetch.sh");
        assert!(status.success(), "tests/debian/fetch.sh failed: {status}");
        root
    })
}

/// The program (inside the sysroot) and its leading arguments for a case file.
fn interpreter(case: &Path, scratch: &Path) -> (&'static str, Vec<String>) {
    let script = case.display().to_string();
    match case.extension().and_then(|e| e.to_str()) {
        Some("sh") => ("usr/bin/busybox", vec!["sh".into(), script]),
        Some("bash") => ("usr/bin/bash-static", vec![script]),
        Some("py") => ("usr/bin/python3", vec![script]),
        Some("pl") => ("usr/bin/perl", vec![script]),
        Some("lua") => ("usr/bin/lua5.4", vec![script]),
        Some("sql") => (
            "usr/bin/sqlite3",
            vec![
                scratch.join("test.db").display().to_string(),
                format!(".read {script}"),
            ],
        ),
        _ => panic!("{}: no interpreter for this extension", case.display()),
    }
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("tests/debian/cases"))
        .expect("tests/debian/cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "expected"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "tests/debian/cases is incomplete");
    cases
}

/// The environment every run sees, whatever starts it.
const ENV: [(&str, &str); 4] = [
    ("PATH", "/usr/bin:/bin"),
    ("HOME", "/tmp"),
    ("LANG", "C"),
    ("TMPDIR", "/tmp"),
];

/// A fresh empty directory for one run (the sqlite database lives there).
fn scratch(runner: &str, case: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mvvm-debian-{}-{runner}-{}",
        std::process::id(),
        case.file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `prefix... [-L sysroot] program args...` with [`ENV`] only, under
/// coreutils' `timeout`.
fn run(prefix: &[String], case: &Path, scratch: &Path) -> Output {
    let (program, args) = interpreter(case, scratch);
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "10", TIMEOUT_SECS])
        .arg(on_path(&prefix[0]))
        .args(&prefix[1..])
        .arg("-L")
        .arg(sysroot())
        .arg(sysroot().join(program))
        .args(args)
        .env_clear()
        .envs(ENV)
        .current_dir(scratch)
        .stdin(std::process::Stdio::null());
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot start {prefix:?}: {e}"))
}

/// `name` found on the test's own PATH (the runs get [`ENV`]'s instead).
fn on_path(name: &str) -> PathBuf {
    if name.contains('/') {
        return name.into();
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH: run make setup"))
}

/// What the case must print: its `.expected` file, or qemu-riscv64's output.
fn oracle(case: &Path) -> Output {
    let expected = case.with_extension("expected");
    if let Ok(stdout) = std::fs::read(&expected) {
        return Output {
            status: Command::new("true").status().unwrap(),
            stdout,
            stderr: Vec::new(),
        };
    }
    let dir = scratch("qemu", case);
    let out = run(&["qemu-riscv64".into()], case, &dir);
    let _ = std::fs::remove_dir_all(dir);
    assert!(
        out.status.success(),
        "{}: qemu-riscv64 failed ({}): {}",
        case.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs every case on one runner; reports every mismatch at once.
fn check(runner: &str, prefix: &[String]) {
    let mut failures = Vec::new();
    for case in cases() {
        let want = oracle(&case);
        let dir = scratch(runner, &case);
        let got = run(prefix, &case, &dir);
        let _ = std::fs::remove_dir_all(dir);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if got.stdout != want.stdout || got.stderr != want.stderr {
            failures.push(format!(
                "{name} on {runner}: output differs\n--- want\n{}{}\n--- got\n{}{}",
                String::from_utf8_lossy(&want.stdout),
                String::from_utf8_lossy(&want.stderr),
                String::from_utf8_lossy(&got.stdout),
                String::from_utf8_lossy(&got.stderr),
            ));
        } else if !got.status.success() {
            failures.push(format!("{name} on {runner}: {}", got.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn native() {
    check("native", &[env!("CARGO_BIN_EXE_mvvm").into()]);
}

fn launcher() -> String {
    Path::new(ROOT).join("dist/mvvm").display().to_string()
}

#[test]
fn launcher_interpreter() {
    check("launcher", &[launcher(), "--jit=off".into()]);
}

#[test]
fn launcher_jit() {
    check(
        "launcher-jit",
        &[
            launcher(),
            "--jit=on".into(),
            "-jit-threshold".into(),
            "1".into(),
        ],
    );
}

#[test]
fn wasmtime_run() {
    let mut prefix = vec![
        std::env::var("WASMTIME").unwrap_or("wasmtime".into()),
        "run".into(),
        "--dir".into(),
        "/::/".into(),
    ];
    for (k, v) in ENV {
        prefix.extend(["--env".into(), format!("{k}={v}")]);
    }
    prefix.push(Path::new(ROOT).join("dist/mvvm.wasm").display().to_string());
    check("wasmtime", &prefix);
}
