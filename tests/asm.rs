//! Hand-written instruction tests: every `tests/asm/*.S` is assembled with
//! `riscv64-linux-gnu-gcc -nostdlib -static` and run; it must print `ok` and exit
//! with 0. A failing check exits with the number of its case (see
//! `tests/asm/check.h`), which the failure message shows.
//!
//! Each file names its oracle in its header: `oracle: qemu` files also run under
//! `qemu-riscv64`, which must pass them too (so the expectations are not just
//! MVVM's own answers); `oracle: none (why)` files cover what qemu 7.2 cannot run
//! or gets wrong, and their expected values come from the specifications.
//!
//! Runners (`MVVM_RUNNERS`, as for `tests/e2e.rs`): `native` (always) and
//! `launcher-jit` (`dist/mvvm --jit=on -jit-threshold 1`: every block translated
//! on its first execution, which is what self-modifying code must survive).
//! Missing tools are failures, not skips.

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MVVM: &str = env!("CARGO_BIN_EXE_mvvm");
/// Everything the tests may use; `-cpu` is left at its default (all of it).
const MARCH: &str = "-march=rv64gc_zba_zbb_zbc_zbs_zbkb_zbkx_zicbom_zicboz_zawrs_zfh";
/// qemu 7.2 needs the crypto bit-manipulation and half-precision extensions switched on
/// (its Zfh property names are capitalized).
const QEMU: [&str; 3] = [
    "qemu-riscv64",
    "-cpu",
    "rv64,zba=true,zbb=true,zbc=true,zbs=true,zbkb=true,zbkx=true,Zfh=true,Zfhmin=true",
];

fn main() {
    let args = Arguments::from_args();
    let runners: Vec<String> = std::env::var("MVVM_RUNNERS")
        .unwrap_or_else(|_| "native".into())
        .split(',')
        .filter(|r| *r == "native" || *r == "launcher-jit")
        .map(str::to_string)
        .collect();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("tests/asm"))
        .expect("tests/asm")
        .map(|e| e.expect("tests/asm entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "S"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no tests in tests/asm");
    let mut trials = Vec::new();
    for src in sources {
        let name = src.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&src).expect("test source");
        // Built once; every trial of the file runs the same executable.
        let exe = build(&src);
        if text.contains("oracle: qemu") {
            let exe = exe.clone();
            trials.push(Trial::test(format!("{name}::qemu"), move || {
                run(&exe, &QEMU)
            }));
        } else if !text.contains("oracle: none (") {
            let src = src.clone();
            trials.push(Trial::test(format!("{name}::header"), move || {
                Err(format!("{}: the header must name its oracle", src.display()).into())
            }));
        }
        for runner in &runners {
            let exe = exe.clone();
            let cmd: Vec<String> = match runner.as_str() {
                "native" => vec![MVVM.into()],
                _ => vec![
                    format!("{ROOT}/dist/mvvm"),
                    "--jit=on".into(),
                    "-jit-threshold".into(),
                    "1".into(),
                ],
            };
            trials.push(Trial::test(format!("{name}::{runner}"), move || {
                let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
                run(&exe, &cmd)
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Seconds a test may run before it counts as hung.
const TIMEOUT: u64 = 60;

/// Runs the test built as `exe` under `cmd`.
fn run(exe: &Result<PathBuf, String>, cmd: &[&str]) -> Result<(), Failed> {
    let exe = exe.as_ref().map_err(|e| e.as_str())?;
    let mut child = Command::new(cmd[0])
        .args(&cmd[1..])
        .arg(exe)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cmd[0]))?;
    let deadline = Instant::now() + Duration::from_secs(TIMEOUT);
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {TIMEOUT} s").into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // The outputs are a few bytes: they fit in the pipes while the child runs.
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) if stdout == "ok\n" => Ok(()),
        Some(0) => Err(format!("exited with 0 without reaching DONE (stdout {stdout:?})").into()),
        Some(n) => Err(format!(
            "case {n} failed{}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        )
        .into()),
        None => Err(format!("killed: {}", out.status).into()),
    }
}

/// Assembles and links `src` into `build/asm/`; the error is the compiler's message.
fn build(src: &Path) -> Result<PathBuf, String> {
    let dir = Path::new(ROOT).join("build/asm");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let exe = dir.join(src.file_stem().unwrap());
    let out = Command::new("riscv64-linux-gnu-gcc")
        .args(["-nostdlib", "-static", MARCH, "-o"])
        .arg(&exe)
        .arg(src)
        .output()
        .map_err(|e| format!("cannot run riscv64-linux-gnu-gcc (make setup installs it): {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(exe)
}
