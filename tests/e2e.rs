//! End-to-end corpus: every guest program in `tests/guest/` (built three ways
//! into `build/guests/<name>.<mode>` by `tests/guests.mk`) runs under the
//! `qemu-riscv64` oracle and under each selected MVVM runner; stdout, stderr
//! and the exit status must be identical.
//!
//! Run `make guests` first, then `cargo test --release --test e2e`. A missing
//! or empty `build/guests` is a failure, never a silent skip.
//!
//! One trial per (program, mode, runner), named `<program>.<mode>::<runner>`,
//! e.g. `files.static-pie::native`. Each trial runs in a fresh directory under
//! the system temp dir (wiped and recreated between the oracle run and the
//! MVVM run, removed afterwards), with a cleared environment plus `PATH`,
//! `HOME`, `LANG`, `MVVM_TEST` and `PWD`, stdin from `tests/guest/<name>.stdin`
//! or `/dev/null`, and arguments from `tests/guest/<name>.args` (one per
//! line). Death by signal N counts as status 128 + N. Core dumps are disabled
//! for all child processes.
//!
//! A program with a `tests/guest/<name>.expected` file is not run under the
//! oracle: its stdout must be that file's contents, its stderr empty and its
//! status 0. This is for programs qemu-user cannot run as Linux would, such as
//! those that execve riscv64 programs (qemu hands execve to the host kernel,
//! which needs binfmt_misc for that), or job_control.c, where qemu sends
//! SIGCHLD for a child's stop although the guest asked for SA_NOCLDSTOP.
//!
//! Environment:
//! - `MVVM_RUNNERS`: comma-separated runners, default `native`:
//!   - `native`: the natively built emulator (`MVVM_BIN`, default the `mvvm`
//!     binary Cargo built for this test, i.e. `target/release/mvvm`);
//!   - `launcher`: `dist/mvvm --jit=off` (`MVVM_LAUNCHER`), the native
//!     wasmtime launcher running the portable component (interpreter only);
//!   - `launcher-jit`: `dist/mvvm --jit=on -jit-threshold 1`, the launcher
//!     running the JIT component with every block translated on its first
//!     execution (everything translatable runs as generated code);
//!   - `wasmtime`: `wasmtime run -S inherit-network --dir /::/ --env K=V..
//!     dist/mvvm.wasm`
//!     (`WASMTIME`, `MVVM_WASM`); WASI 0.2 can only exit with 0 or 1, so only
//!     "status == 0" is compared;
//!   - `jco`: `node tests/jco/run.mjs`, the component transpiled to JavaScript by
//!     jco (`make jco`) and run by Node.js with preview2-shim, a WASI host MVVM's
//!     authors did not write; it reports the exact status (`mvvm:vm/status`).
//! - `MVVM_E2E_TIMEOUT`: seconds allowed per process run (default 300).
//! - `MVVM_ORACLE`: the oracle emulator (default `qemu-riscv64`).
//!
//! Dynamic binaries get `-L /usr/riscv64-linux-gnu` (the guest sysroot) on
//! both sides. Lines `qemu: uncaught target signal ...` / `mvvm: uncaught
//! target signal ...` are removed from stderr before comparing: qemu 7.2 only
//! prints that line for targets with core-dump support, which riscv64 lacks,
//! while MVVM always prints it; the signal itself is checked via the status.

use libtest_mimic::{Arguments, Failed, Trial};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// Build modes produced by `tests/guests.mk`.
const MODES: [&str; 3] = ["static", "static-pie", "dynamic"];
/// Guest sysroot passed with `-L` to dynamic binaries.
const SYSROOT: &str = "/usr/riscv64-linux-gnu";
/// Output directory of `tests/guests.mk`, relative to the repository root.
const GUEST_OUT: &str = "build/guests";
/// Guest sources, relative to the repository root.
const GUEST_SRC: &str = "tests/guest";
/// Marker of an emulator's "killed by signal" report on stderr.
const SIGNAL_LINE_PREFIXES: [&[u8]; 2] = [
    b"qemu: uncaught target signal ",
    b"mvvm: uncaught target signal ",
];
/// Lines of context around each difference in failure reports.
const DIFF_CONTEXT: usize = 3;
/// At most this many diff lines are shown per stream.
const DIFF_MAX_LINES: usize = 80;

/// What a guest run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Exit code, or 128 + signal number.
    status: i32,
}

/// One guest program: its name, arguments and optional stdin file.
#[derive(Debug)]
struct Program {
    name: String,
    args: Vec<String>,
    stdin: Option<PathBuf>,
    /// Expected stdout instead of the oracle's outcome.
    expected: Option<PathBuf>,
}

/// How MVVM is started.
#[derive(Clone, Debug)]
enum Runner {
    Native(PathBuf),
    Launcher(PathBuf),
    LauncherJit(PathBuf),
    Wasmtime {
        wasmtime: PathBuf,
        wasm: PathBuf,
    },
    /// `node tests/jco/run.mjs`: the component transpiled by jco, under Node.js.
    Jco(PathBuf),
}

impl Runner {
    fn name(&self) -> &'static str {
        match self {
            Runner::Native(_) => "native",
            Runner::Launcher(_) => "launcher",
            Runner::LauncherJit(_) => "launcher-jit",
            Runner::Wasmtime { .. } => "wasmtime",
            Runner::Jco(_) => "jco",
        }
    }

    /// Whether only "status == 0" can be compared (WASI 0.2 exit).
    fn status_is_boolean(&self) -> bool {
        matches!(self, Runner::Wasmtime { .. })
    }

    /// How to get this runner, for "cannot start" failures.
    fn hint(&self) -> &'static str {
        match self {
            Runner::Native(_) => "build it with `make native`, or set MVVM_BIN",
            Runner::Launcher(_) | Runner::LauncherJit(_) => {
                "build it with `make launcher component`, or set MVVM_LAUNCHER"
            }
            Runner::Wasmtime { .. } => {
                "install wasmtime (`make setup`) and build dist/mvvm.wasm (`make component`), \
                 or set WASMTIME / MVVM_WASM"
            }
            Runner::Jco(_) => "install Node.js and run `make jco` (npm ci + jco transpile)",
        }
    }

    /// Program and leading arguments, before `[-L sysroot] binary args...`.
    fn command_prefix(&self, env: &[(String, String)]) -> (PathBuf, Vec<OsString>) {
        match self {
            Runner::Native(bin) => (bin.clone(), Vec::new()),
            Runner::Launcher(bin) => (bin.clone(), vec!["--jit=off".into()]),
            Runner::LauncherJit(bin) => (
                bin.clone(),
                vec!["--jit=on".into(), "-jit-threshold".into(), "1".into()],
            ),
            Runner::Wasmtime { wasmtime, wasm } => {
                // The network programs (net_*) talk to themselves over loopback.
                let mut args: Vec<OsString> = vec![
                    "run".into(),
                    "-S".into(),
                    "inherit-network".into(),
                    "--dir".into(),
                    "/::/".into(),
                ];
                for (k, v) in env {
                    args.push("--env".into());
                    args.push(format!("{k}={v}").into());
                }
                args.push(wasm.clone().into_os_string());
                (wasmtime.clone(), args)
            }
            Runner::Jco(script) => ("node".into(), vec![script.clone().into_os_string()]),
        }
    }
}

/// Everything a trial needs; shared by the trials of one (program, mode).
struct Case {
    program: Arc<Program>,
    mode: &'static str,
    binary: PathBuf,
    oracle: PathBuf,
    timeout: Duration,
    /// The oracle's outcome, computed once and shared by all runners.
    oracle_outcome: OnceLock<Result<Outcome, String>>,
}

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (trials, setup_failed) = match build_trials(&root) {
        Ok(trials) => (trials, false),
        Err(message) => {
            eprintln!("\n=== e2e: SETUP FAILED ===\n{message}\n");
            let trial = Trial::test("e2e::setup", move || Err(message.into()));
            (vec![trial], true)
        }
    };
    let list_only = args.list;
    let conclusion = libtest_mimic::run(&args, trials);
    if !list_only {
        println!(
            "e2e: {} passed, {} failed",
            conclusion.num_passed, conclusion.num_failed
        );
    }
    // A setup failure fails the run even when a name filter hid the trial.
    if setup_failed && !list_only {
        std::process::exit(101);
    }
    conclusion.exit();
}

/// Discovers programs and builds all trials, or explains why it cannot.
fn build_trials(root: &Path) -> Result<Vec<Trial>, String> {
    let runners = selected_runners(root)?;
    let programs = discover_programs(&root.join(GUEST_SRC))?;
    if programs.is_empty() {
        return Err(format!(
            "no guest programs (*.c, *.cc) found in {}",
            root.join(GUEST_SRC).display()
        ));
    }
    let out = root.join(GUEST_OUT);
    let built = programs
        .iter()
        .flat_map(|p| MODES.iter().map(|m| out.join(format!("{}.{m}", p.name))))
        .filter(|p| p.is_file())
        .count();
    if built == 0 {
        return Err(format!(
            "{} is missing or holds no guest binaries: run `make guests` \
             (or `make -f tests/guests.mk guests`) before `cargo test --test e2e`",
            out.display()
        ));
    }
    let oracle = match std::env::var_os("MVVM_ORACLE") {
        Some(o) => PathBuf::from(o),
        None => find_in_path("qemu-riscv64").ok_or(
            "qemu-riscv64 (the oracle) is not in PATH; install qemu-user or set MVVM_ORACLE",
        )?,
    };
    let timeout = match std::env::var("MVVM_E2E_TIMEOUT") {
        Ok(s) => Duration::from_secs(
            s.parse()
                .map_err(|_| format!("MVVM_E2E_TIMEOUT must be whole seconds, not {s:?}"))?,
        ),
        Err(_) => Duration::from_secs(300),
    };

    let mut trials = Vec::new();
    for program in programs {
        let program = Arc::new(program);
        for mode in MODES {
            let case = Arc::new(Case {
                program: program.clone(),
                mode,
                binary: out.join(format!("{}.{mode}", program.name)),
                oracle: oracle.clone(),
                timeout,
                oracle_outcome: OnceLock::new(),
            });
            for runner in &runners {
                let case = case.clone();
                let runner = runner.clone();
                let name = format!("{}.{mode}::{}", program.name, runner.name());
                trials.push(Trial::test(name, move || run_trial(&case, &runner)));
            }
        }
    }
    Ok(trials)
}

/// Parses `MVVM_RUNNERS` (default `native`) into runners with their paths.
fn selected_runners(root: &Path) -> Result<Vec<Runner>, String> {
    let spec = std::env::var("MVVM_RUNNERS").unwrap_or_else(|_| "native".to_string());
    let mut runners = Vec::new();
    for name in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let runner = match name {
            "native" => Runner::Native(env_path("MVVM_BIN").unwrap_or_else(|| {
                option_env!("CARGO_BIN_EXE_mvvm")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root.join("target/release/mvvm"))
            })),
            "launcher" => Runner::Launcher(
                env_path("MVVM_LAUNCHER").unwrap_or_else(|| root.join("dist/mvvm")),
            ),
            "launcher-jit" => Runner::LauncherJit(
                env_path("MVVM_LAUNCHER").unwrap_or_else(|| root.join("dist/mvvm")),
            ),
            "wasmtime" => Runner::Wasmtime {
                wasmtime: env_path("WASMTIME")
                    .or_else(|| find_in_path("wasmtime"))
                    .unwrap_or_else(|| PathBuf::from("wasmtime")),
                wasm: env_path("MVVM_WASM").unwrap_or_else(|| root.join("dist/mvvm.wasm")),
            },
            "jco" => Runner::Jco(root.join("tests/jco/run.mjs")),
            other => {
                return Err(format!(
                    "MVVM_RUNNERS: unknown runner {other:?} (known: native, launcher, launcher-jit, wasmtime, jco)"
                ))
            }
        };
        if !runners.iter().any(|r: &Runner| r.name() == runner.name()) {
            runners.push(runner);
        }
    }
    if runners.is_empty() {
        return Err(format!("MVVM_RUNNERS={spec:?} selects no runner"));
    }
    Ok(runners)
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Looks a program up in this process's `PATH`.
fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Lists `*.c` and `*.cc` in `dir` (sorted), with their `.args`/`.stdin`/`.expected`.
fn discover_programs(dir: &Path) -> Result<Vec<Program>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let is_source = matches!(
            path.extension().and_then(OsStr::to_str),
            Some("c") | Some("cc")
        );
        if is_source && path.is_file() {
            if let Some(stem) = path.file_stem().and_then(OsStr::to_str) {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let args_file = dir.join(format!("{name}.args"));
            let args = if args_file.is_file() {
                fs::read_to_string(&args_file)
                    .map_err(|e| format!("cannot read {}: {e}", args_file.display()))?
                    .lines()
                    .map(str::to_string)
                    .collect()
            } else {
                Vec::new()
            };
            let stdin = Some(dir.join(format!("{name}.stdin"))).filter(|p| p.is_file());
            let expected = Some(dir.join(format!("{name}.expected"))).filter(|p| p.is_file());
            Ok(Program {
                name,
                args,
                stdin,
                expected,
            })
        })
        .collect()
}

/// Runs the oracle (once per program and mode) and MVVM, and compares.
fn run_trial(case: &Case, runner: &Runner) -> Result<(), Failed> {
    if !case.binary.is_file() {
        return Err(format!(
            "guest binary {} is missing: run `make guests`",
            case.binary.display()
        )
        .into());
    }
    let expected = case
        .oracle_outcome
        .get_or_init(|| {
            if let Some(path) = &case.program.expected {
                let stdout =
                    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                return Ok(Outcome {
                    stdout,
                    stderr: Vec::new(),
                    status: 0,
                });
            }
            let dir = TempDir::new(&case.program.name, case.mode)?;
            let (program, prefix) = (case.oracle.clone(), Vec::new());
            run_guest(case, &program, &prefix, &dir)
                .map_err(|e| format!("oracle {}: {e}", case.oracle.display()))
        })
        .clone()?;

    let dir = TempDir::new(&case.program.name, case.mode)?;
    let env = guest_env(dir.path());
    let (program, prefix) = runner.command_prefix(&env);
    let actual = run_guest(case, &program, &prefix, &dir).map_err(|e| {
        let hint = if e.starts_with("cannot start") {
            format!(" ({})", runner.hint())
        } else {
            String::new()
        };
        format!(
            "{} runner: {e}{hint}\n(command: {})",
            runner.name(),
            command_line(case, &program, &prefix)
        )
    })?;
    compare(case, runner, &program, &prefix, &expected, &actual)
}

/// The fixed guest environment.
fn guest_env(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("HOME".into(), "/tmp".into()),
        ("LANG".into(), "C".into()),
        ("MVVM_TEST".into(), "1".into()),
        ("PWD".into(), dir.to_string_lossy().into_owned()),
    ]
}

/// Arguments after the emulator's own prefix: `[-L sysroot] binary args...`.
fn guest_args(case: &Case) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    if case.mode == "dynamic" {
        args.push("-L".into());
        args.push(SYSROOT.into());
    }
    args.push(case.binary.clone().into_os_string());
    args.extend(case.program.args.iter().map(OsString::from));
    args
}

/// A shell-like rendering of a command, for failure messages.
fn command_line(case: &Case, program: &Path, prefix: &[OsString]) -> String {
    let mut parts = vec![program.to_string_lossy().into_owned()];
    for arg in prefix.iter().cloned().chain(guest_args(case)) {
        let arg = arg.to_string_lossy().into_owned();
        let plain = !arg.is_empty()
            && arg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
        parts.push(if plain {
            arg
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        });
    }
    parts.join(" ")
}

/// Runs one emulator on the case's guest in `dir` (wiped first).
fn run_guest(
    case: &Case,
    program: &Path,
    prefix: &[OsString],
    dir: &TempDir,
) -> Result<Outcome, String> {
    dir.reset()?;
    let mut cmd = Command::new(program);
    cmd.args(prefix)
        .args(guest_args(case))
        .current_dir(dir.path())
        .env_clear()
        .envs(guest_env(dir.path()));
    let stdin = match &case.program.stdin {
        Some(path) => Stdio::from(
            fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        ),
        None => Stdio::null(),
    };
    cmd.stdin(stdin);
    run_with_timeout(cmd, case.timeout)
}

/// Spawns `cmd` with piped stdout/stderr and no core dumps, kills it after
/// `timeout`, and returns what it printed and its status.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Result<Outcome, String> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // Own process group, so that a timeout kills helpers the runner started.
    cmd.process_group(0);
    // SAFETY: the closure runs in the forked child before exec and only calls
    // getrlimit/setrlimit, which are async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(disable_core_dumps);
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || read_all(stdout));
    let err_reader = thread::spawn(move || read_all(stderr));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                kill_process_group(child.id());
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("waiting for {program}: {e}")),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(format!(
            "timed out after {}s (raise MVVM_E2E_TIMEOUT); output so far:\n--- stdout\n{}\n--- stderr\n{}",
            timeout.as_secs(),
            tail(&stdout),
            tail(&stderr)
        ));
    };
    let status = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => return Err(format!("{program}: unknown exit status {status:?}")),
    };
    Ok(Outcome {
        stdout,
        stderr,
        status,
    })
}

fn read_all(mut r: impl Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = r.read_to_end(&mut v);
    v
}

/// The last lines of some output, for timeout reports.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[repr(C)]
struct RLimit {
    cur: u64,
    max: u64,
}

extern "C" {
    fn getrlimit(resource: i32, rlim: *mut RLimit) -> i32;
    fn setrlimit(resource: i32, rlim: *const RLimit) -> i32;
    fn kill(pid: i32, sig: i32) -> i32;
}

/// Linux `SIGKILL`.
const SIGKILL: i32 = 9;

/// Kills the process group led by `pid` (the child started with
/// `process_group(0)`, so the group id is its pid).
fn kill_process_group(pid: u32) {
    let Ok(pid) = i32::try_from(pid) else { return };
    if pid > 0 {
        // SAFETY: plain system call; a negative pid names the child's own
        // process group, which contains only processes this harness started.
        unsafe {
            kill(-pid, SIGKILL);
        }
    }
}

/// Linux `RLIMIT_CORE`.
const RLIMIT_CORE: i32 = 4;

/// Sets the soft core-file limit to 0 (an aborting guest must not make the
/// emulator write a core file of its own address space).
fn disable_core_dumps() -> std::io::Result<()> {
    let mut limit = RLimit { cur: 0, max: 0 };
    // SAFETY: `limit` is a valid, writable `struct rlimit` (two rlim_t = u64
    // on Linux) for the duration of the call.
    if unsafe { getrlimit(RLIMIT_CORE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    limit.cur = 0;
    // SAFETY: `limit` is a valid `struct rlimit` for the duration of the call.
    if unsafe { setrlimit(RLIMIT_CORE, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Drops the emulators' "uncaught target signal" lines from stderr.
fn normalize_stderr(stderr: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(stderr.len());
    for line in stderr.split_inclusive(|&b| b == b'\n') {
        if !SIGNAL_LINE_PREFIXES.iter().any(|p| line.starts_with(p)) {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Compares the oracle's and MVVM's outcomes; the error is a readable report.
fn compare(
    case: &Case,
    runner: &Runner,
    program: &Path,
    prefix: &[OsString],
    expected: &Outcome,
    actual: &Outcome,
) -> Result<(), Failed> {
    let mut report = String::new();
    if expected.stdout != actual.stdout {
        report.push_str(&format!(
            "stdout differs (- qemu-riscv64, + mvvm):\n{}\n",
            diff(&expected.stdout, &actual.stdout)
        ));
    }
    let (exp_err, act_err) = (
        normalize_stderr(&expected.stderr),
        normalize_stderr(&actual.stderr),
    );
    if exp_err != act_err {
        report.push_str(&format!(
            "stderr differs (- qemu-riscv64, + mvvm):\n{}\n",
            diff(&exp_err, &act_err)
        ));
    }
    let status_matches = if runner.status_is_boolean() {
        (expected.status == 0) == (actual.status == 0)
    } else {
        expected.status == actual.status
    };
    if !status_matches {
        report.push_str(&format!(
            "exit status differs: qemu-riscv64 {}, mvvm {}{}\n",
            describe_status(expected.status),
            describe_status(actual.status),
            if runner.status_is_boolean() {
                " (wasmtime runner: only zero/non-zero is compared)"
            } else {
                ""
            }
        ));
    }
    if report.is_empty() {
        return Ok(());
    }
    report.push_str(&format!(
        "command: {}\nguest stdin: {}",
        command_line(case, program, prefix),
        case.program
            .stdin
            .as_ref()
            .map_or("/dev/null".to_string(), |p| p.display().to_string())
    ));
    Err(report.into())
}

fn describe_status(status: i32) -> String {
    if status > 128 && status < 128 + 65 {
        format!("{status} (signal {})", status - 128)
    } else {
        status.to_string()
    }
}

/// A line diff in unified style: hunks with `DIFF_CONTEXT` lines of context,
/// `-` for the oracle's lines and `+` for MVVM's, cut after `DIFF_MAX_LINES`.
fn diff(expected: &[u8], actual: &[u8]) -> String {
    let exp_text = String::from_utf8_lossy(expected);
    let act_text = String::from_utf8_lossy(actual);
    let a = split_lines(&exp_text);
    let b = split_lines(&act_text);
    let ops = diff_ops(&a, &b);

    // Mark which ops to show: changes and their context.
    let mut show = vec![false; ops.len()];
    for (i, op) in ops.iter().enumerate() {
        if !matches!(op, Op::Same(..)) {
            let lo = i.saturating_sub(DIFF_CONTEXT);
            let hi = (i + DIFF_CONTEXT + 1).min(ops.len());
            show[lo..hi].iter_mut().for_each(|s| *s = true);
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if !show[i] {
            i += 1;
            continue;
        }
        let (first_a, first_b) = ops[i].positions();
        out.push(format!(
            "@@ oracle line {}, mvvm line {} @@",
            first_a + 1,
            first_b + 1
        ));
        while i < ops.len() && show[i] {
            out.push(match ops[i] {
                Op::Same(ai, _) => format!("  {}", a[ai]),
                Op::Del(ai, _) => format!("- {}", a[ai]),
                Op::Add(_, bi) => format!("+ {}", b[bi]),
            });
            i += 1;
        }
    }
    if out.len() > DIFF_MAX_LINES {
        let more = out.len() - DIFF_MAX_LINES;
        out.truncate(DIFF_MAX_LINES);
        out.push(format!("... ({more} more diff lines)"));
    }
    out.join("\n")
}

/// Splits into lines, marking a missing final newline like `diff` does.
fn split_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    for line in &mut lines {
        if line.ends_with('\n') {
            line.pop();
        } else {
            line.push_str("\\ (no newline at end)");
        }
    }
    lines
}

/// One step of an edit script, with the line positions in both inputs.
#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize, usize),
    Del(usize, usize),
    Add(usize, usize),
}

impl Op {
    fn positions(self) -> (usize, usize) {
        match self {
            Op::Same(a, b) | Op::Del(a, b) | Op::Add(a, b) => (a, b),
        }
    }
}

/// An edit script from `a` to `b`: common prefix and suffix are matched
/// directly, the middle by longest common subsequence (or, if that would be
/// too large, as "all of a removed, all of b added").
fn diff_ops(a: &[String], b: &[String]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    if ma.len().saturating_mul(mb.len()) <= 4_000_000 {
        // lcs[i][j] = LCS length of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            let (ai, bj) = (prefix + i, prefix + j);
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                ops.push(Op::Same(ai, bj));
                i += 1;
                j += 1;
            } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                ops.push(Op::Del(ai, bj));
                i += 1;
            } else {
                ops.push(Op::Add(ai, bj));
                j += 1;
            }
        }
    } else {
        ops.extend((0..ma.len()).map(|i| Op::Del(prefix + i, prefix)));
        ops.extend((0..mb.len()).map(|j| Op::Add(prefix + ma.len(), prefix + j)));
    }
    ops.extend((0..suffix).map(|k| Op::Same(a.len() - suffix + k, b.len() - suffix + k)));
    ops
}

/// A per-run directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(program: &str, mode: &str) -> Result<TempDir, String> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir();
        let base = base.canonicalize().unwrap_or(base);
        let path = base.join(format!(
            "mvvm-e2e-{}-{}-{program}.{mode}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let dir = TempDir(path);
        dir.reset()?;
        Ok(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Wipes and recreates the directory.
    fn reset(&self) -> Result<(), String> {
        if self.0.exists() {
            fs::remove_dir_all(&self.0)
                .map_err(|e| format!("cannot remove {}: {e}", self.0.display()))?;
        }
        fs::create_dir_all(&self.0).map_err(|e| format!("cannot create {}: {e}", self.0.display()))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
