//! Snapshots (`src/snapshot.rs`): guest programs of the corpus (`make guests` builds
//! them into `build/guests/`) paused with `-pause-at` at several instruction counts
//! and resumed with `-restore` must produce exactly the output and exit status of
//! the uninterrupted run; `-snapshot-at` must not change a run; bad snapshot bytes
//! must give a clean error; the embedding API must snapshot and restore too,
//! threads included.
//! Threaded programs are paused at many points, where other threads run and wait
//! in futexes or for pipes, and must resume on the same schedule: the resumed run
//! retires exactly as many instructions as the uninterrupted one (for programs
//! whose threads never wait on a clock).
//!
//! Each run gets a fresh directory under the system temp dir as its cwd (programs
//! write files there), and the stdin the e2e corpus gives it.

use mvvm::embed::{Config, Embedded, Error, Event};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MVVM: &str = env!("CARGO_BIN_EXE_mvvm");
const SYSROOT: &str = "/usr/riscv64-linux-gnu";

/// A scratch directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("mvvm-snapshot-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn guest(binary: &str) -> PathBuf {
    let p = Path::new(ROOT).join("build/guests").join(binary);
    assert!(p.is_file(), "{} is missing: run `make guests`", p.display());
    p
}

struct Run {
    stdout: Vec<u8>,
    stderr: String,
    code: Option<i32>,
}

/// Runs `mvvm args...` in `cwd` with `stdin` (or /dev/null).
fn mvvm(args: &[&str], cwd: &Path, stdin: Option<&Path>) -> Run {
    let input = match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).expect("stdin file")),
        None => Stdio::null(),
    };
    let out = Command::new(MVVM)
        .args(args)
        .current_dir(cwd)
        .env("PWD", cwd)
        .env("MVVM_TEST", "1")
        .stdin(input)
        .output()
        .expect("run mvvm");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "mvvm panicked: {stderr}");
    Run {
        stdout: out.stdout,
        stderr,
        code: out.status.code(),
    }
}

/// Program arguments (`-L` for dynamic binaries, then the binary).
fn program_args(binary: &str) -> Vec<String> {
    let mut v = Vec::new();
    if binary.ends_with(".dynamic") {
        v.extend(["-L".to_string(), SYSROOT.to_string()]);
    }
    v.push(guest(binary).to_string_lossy().into_owned());
    v
}

fn stdin_of(binary: &str) -> Option<PathBuf> {
    let name = binary.split('.').next().unwrap_or(binary);
    Some(Path::new(ROOT).join(format!("tests/guest/{name}.stdin"))).filter(|p| p.is_file())
}

/// The uninterrupted run and its instruction count.
fn reference(binary: &str) -> (Run, u64) {
    let dir = TempDir::new("ref");
    let mut args = vec!["-d".to_string(), "stats".to_string()];
    args.extend(program_args(binary));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = mvvm(&args, &dir.0, stdin_of(binary).as_deref());
    let n = stats(&r.stderr).unwrap_or_else(|| panic!("{binary}: no stats line in {}", r.stderr));
    (r, n)
}

/// Pauses `binary` at `at` instructions, resumes it, and checks the two runs'
/// output against `full`.
fn pause_and_resume(binary: &str, at: u64, full: &Run) {
    let dir = TempDir::new("pause");
    // Outside the guest's cwd, which programs list.
    let keep = TempDir::new("snapfile");
    let snap = keep.0.join("snap");
    let spec = format!("-pause-at={at}:{}", snap.display());
    let mut args = vec![spec];
    args.extend(program_args(binary));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdin = stdin_of(binary);
    let first = mvvm(&args, &dir.0, stdin.as_deref());
    assert_eq!(
        first.code,
        Some(0),
        "{binary} paused at {at}: {}",
        first.stderr
    );
    assert!(snap.is_file(), "{binary}: no snapshot at {at}");
    let snap_arg = snap.to_string_lossy().into_owned();
    let second = mvvm(&["-restore", &snap_arg], &dir.0, stdin.as_deref());
    let mut joined = first.stdout.clone();
    joined.extend_from_slice(&second.stdout);
    assert!(
        joined == full.stdout,
        "{binary} paused at {at}: output differs\n--- paused ---\n{}\n--- resumed ---\n{}\n--- uninterrupted ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&full.stdout),
        second.stderr,
    );
    assert_eq!(
        second.code, full.code,
        "{binary} paused at {at}: exit status ({})",
        second.stderr
    );
}

/// The corpus check for one binary: pauses at 1,000, 100,000 and half-way.
fn check(binary: &str) {
    let (full, total) = reference(binary);
    let mut points = vec![1_000, 100_000, total / 2];
    points.retain(|&p| p > 0 && p + 1_000 < total);
    points.dedup();
    assert!(!points.is_empty(), "{binary}: too short ({total})");
    for at in points {
        pause_and_resume(binary, at, &full);
    }
    // A snapshot taken on the way must not change the run.
    let dir = TempDir::new("fork");
    let keep = TempDir::new("snapfile");
    let snap = keep.0.join("snap");
    let mut args = vec![format!("-snapshot-at={}:{}", total / 3, snap.display())];
    args.extend(program_args(binary));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = mvvm(&args, &dir.0, stdin_of(binary).as_deref());
    assert!(snap.is_file(), "{binary}: -snapshot-at wrote nothing");
    assert!(
        r.stdout == full.stdout,
        "{binary}: -snapshot-at changed the output"
    );
    assert_eq!(
        r.code, full.code,
        "{binary}: -snapshot-at changed the status"
    );
}

macro_rules! corpus {
    ($($test:ident: $binary:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($binary);
            }
        )*
    };
}

corpus! {
    strings_static: "strings.static",
    sort_dynamic: "sort.dynamic",
    files_static: "files.static",
    files_dynamic: "files.dynamic",
    malloc_static_pie: "malloc.static-pie",
    recursion_static: "recursion.static",
    printf_float_dynamic: "printf_float.dynamic",
    setjmp_static: "setjmp.static",
    signal_handlers_static: "signal_handlers.static",
    signal_handlers_dynamic: "signal_handlers.dynamic",
    stdio_static: "stdio.static",
    stdio_dynamic: "stdio.dynamic",
    dirs_static: "dirs.static",
    memfd_static: "memfd.static",
    cpp_stl_dynamic: "cpp_stl.dynamic",
    threads_static: "threads.static",
    threads_cpp_dynamic: "threads_cpp.dynamic",
    pipes_static: "pipes.static",
    eventfd_static: "eventfd.static",
    epoll_static: "epoll.static",
    poll_static: "poll.static",
}

/// A valid snapshot of `binary` paused at `at` instructions.
fn sample_snapshot(dir: &TempDir, binary: &str, at: u64) -> Vec<u8> {
    let snap = dir.0.join("good");
    let spec = format!("-pause-at={at}:{}", snap.display());
    let bin = guest(binary);
    let r = mvvm(&[&spec, &bin.to_string_lossy()], &dir.0, None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    std::fs::read(&snap).expect("snapshot written")
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Restores `bytes` with the CLI: must fail cleanly with status 126 and a message
/// containing `expect`.
fn refused(dir: &TempDir, bytes: &[u8], expect: &str) {
    let file = dir.0.join("bad");
    std::fs::write(&file, bytes).unwrap();
    let r = mvvm(&["-restore", &file.to_string_lossy()], &dir.0, None);
    assert_eq!(r.code, Some(126), "stderr: {}", r.stderr);
    assert!(r.stdout.is_empty());
    let line = r.stderr.trim_end();
    assert!(
        line.starts_with("mvvm: ") && !line.contains('\n') && line.contains(expect),
        "expected one error line with '{expect}', got: {line}"
    );
}

#[test]
fn bad_snapshots_are_refused_cleanly() {
    let dir = TempDir::new("bad");
    let good = sample_snapshot(&dir, "strings.static", 1000);
    for len in [0, 4, 8, 12, 20, 27, 28, good.len() / 2, good.len() - 1] {
        refused(&dir, &good[..len], "");
    }
    refused(&dir, &good[..good.len() / 2], "truncated");
    let mut magic = good.clone();
    magic[0] ^= 0x20;
    refused(&dir, &magic, "not an MVVM snapshot");
    // Other versions, older (version 1 had no threads) and newer.
    let current = mvvm::snapshot::FORMAT_VERSION;
    for v in [1, current + 1] {
        let mut version = good.clone();
        version[8..12].copy_from_slice(&v.to_le_bytes());
        refused(&dir, &version, &format!("version {v}"));
    }
    for at in [20, 28, 100, good.len() / 3, good.len() - 1] {
        let mut flipped = good.clone();
        flipped[at] ^= 0x10;
        refused(&dir, &flipped, "");
    }
    let mut flipped = good.clone();
    flipped[good.len() - 1] ^= 1;
    refused(&dir, &flipped, "checksum");
    let mut longer = good.clone();
    longer.push(0);
    refused(&dir, &longer, "");
    let r = mvvm(&["-restore", "/nonexistent/snap"], &dir.0, None);
    assert_eq!(r.code, Some(127));
    let bin = guest("strings.static");
    let r = mvvm(&["-restore", "x", &bin.to_string_lossy()], &dir.0, None);
    assert_eq!(r.code, Some(1), "-restore with a program: {}", r.stderr);
}

/// Corruption behind a valid checksum reaches the parser itself: every outcome must
/// be an error or a machine, never a panic. Half the mutations hit `focus` (a
/// range of payload offsets), the rest the whole payload.
fn mutate_and_load(good: &[u8], focus: std::ops::Range<usize>) {
    let opts = mvvm::machine::Options::default();
    assert!(mvvm::snapshot::load(good, &opts).is_ok());
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for i in 0..600 {
        let mut b = good.to_vec();
        let (start, span) = if i % 2 == 0 {
            (focus.start, focus.len())
        } else {
            (0, b.len() - 28)
        };
        let at = 28 + start + next() % span.max(1);
        let v = next() as u8;
        b[at] = if i % 3 == 0 { 0xff } else { b[at] ^ v.max(1) };
        if i % 5 == 0 {
            b.truncate(at + 1);
            let len = (b.len() - 28) as u64;
            b[12..20].copy_from_slice(&len.to_le_bytes());
        }
        let sum = fnv1a(&b[28..]);
        b[20..28].copy_from_slice(&sum.to_le_bytes());
        let _ = mvvm::snapshot::load(&b, &opts);
    }
}

#[test]
fn corrupted_payloads_never_panic() {
    let dir = TempDir::new("fuzz");
    // The first 600 bytes hold the CONF, HART and MEMS sections.
    let good = sample_snapshot(&dir, "strings.static", 1000);
    mutate_and_load(&good, 0..600);
    // Several threads, most blocked in futexes: the THRD section (bogus thread
    // counts, ids, waits and parked calls).
    let good = sample_snapshot(&dir, "threads.static", 3_000_000);
    let payload = &good[28..];
    let thrd = payload
        .windows(4)
        .position(|w| w == b"THRD")
        .expect("a THRD section");
    let len = u64::from_le_bytes(payload[thrd + 4..thrd + 12].try_into().unwrap()) as usize;
    assert!(len > 4 * 500, "threads in the sample: {len} bytes");
    mutate_and_load(&good, thrd..thrd + 12 + len);
}

/// The instruction count on a `-d stats` line.
fn stats(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("stats: ")?.split(' ').next()?.parse().ok())
}

/// What a snapshot holds besides the running thread: (other threads, threads
/// blocked in a futex, threads waiting for a descriptor).
fn thread_states(bytes: &[u8]) -> (usize, usize, usize) {
    use mvvm::linux::thread::Wait;
    let opts = mvvm::machine::Options::default();
    let m = mvvm::machine::Machine::restore(bytes, &opts).expect("restores");
    let q = &m.os.threads.queue;
    let count = |f: fn(&Wait) -> bool| q.iter().filter(|t| f(&t.wait)).count();
    (
        q.len(),
        count(|w| matches!(w, Wait::Futex { .. })),
        count(|w| matches!(w, Wait::Io { .. })),
    )
}

/// Pauses a threaded program at every tenth of its run and resumes it; the
/// reference runs in the same directory, since the environment (`PWD`) changes
/// instruction counts. With `exact`, the resumed run must end at the same
/// instruction count (the same schedule). Returns the snapshots' thread states.
fn check_threaded(binary: &str, exact: bool) -> Vec<(usize, usize, usize)> {
    let dir = TempDir::new("threaded");
    let keep = TempDir::new("snapfile");
    let snap = keep.0.join("snap");
    let snap_arg = snap.to_string_lossy().into_owned();
    let run = |pre: &[String]| {
        let mut args = pre.to_vec();
        args.extend(program_args(binary));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        mvvm(&args, &dir.0, None)
    };
    let full = run(&["-d".into(), "stats".into()]);
    let total = stats(&full.stderr).expect("stats line");
    let mut states = Vec::new();
    for k in 1..10 {
        let at = total * k / 10;
        let first = run(&[format!("-pause-at={at}:{snap_arg}")]);
        assert_eq!(first.code, Some(0), "{binary} at {at}: {}", first.stderr);
        states.push(thread_states(&std::fs::read(&snap).expect("written")));
        let second = mvvm(&["-d", "stats", "-restore", &snap_arg], &dir.0, None);
        let mut joined = first.stdout.clone();
        joined.extend_from_slice(&second.stdout);
        assert!(
            joined == full.stdout && second.code == full.code,
            "{binary} paused at {at}: output differs\n{}{}",
            String::from_utf8_lossy(&joined),
            second.stderr
        );
        if exact {
            assert_eq!(
                stats(&second.stderr),
                Some(total),
                "{binary} paused at {at}: another schedule"
            );
        }
    }
    states
}

#[test]
fn threads_resume_on_the_same_schedule() {
    let states = check_threaded("threads.static", false);
    assert!(
        states.iter().any(|&(n, futex, _)| n >= 4 && futex >= 1),
        "no pause found threads blocked in futexes: {states:?}"
    );
    assert!(
        states.iter().any(|&(n, futex, io)| n > futex + io),
        "no pause found another thread runnable: {states:?}"
    );
    let states = check_threaded("threads_cpp.dynamic", true);
    assert!(states.iter().any(|&(n, _, _)| n > 0), "{states:?}");
    let states = check_threaded("pipes.static", true);
    assert!(states.iter().any(|&(n, _, _)| n > 0), "{states:?}");
}

#[test]
fn embedding_api_snapshots_and_restores() {
    let elf = std::fs::read(guest("recursion.static")).unwrap();
    let mut m = Embedded::create(&elf, Config::default()).expect("loads");
    assert_eq!(m.run(200_000), Event::BudgetSpent);
    let snap = m.snapshot().expect("snapshot");
    let at = m.instructions();
    let main = m.symbol("main");
    assert!(main.is_some());
    let end = loop {
        match m.run(1 << 24) {
            Event::BudgetSpent => {}
            e => break e,
        }
    };
    let mut r = Embedded::restore(&snap).expect("restore");
    assert_eq!(r.instructions(), at);
    assert_eq!(r.symbol("main"), main, "symbols are kept");
    // A snapshot of the restored machine is the same process.
    let again = r.snapshot().expect("snapshot of the restored machine");
    assert!(again == snap, "restore then snapshot changes the bytes");
    let end2 = loop {
        match r.run(1 << 24) {
            Event::BudgetSpent => {}
            e => break e,
        }
    };
    assert_eq!(end, end2);
    assert_eq!(m.instructions(), r.instructions());
    for i in 0..32 {
        assert_eq!(m.x(i), r.x(i), "x{i}");
    }
    // The finished process cannot be saved; junk cannot be restored.
    assert!(matches!(m.snapshot(), Err(Error::BadSnapshot(_))));
    match Embedded::restore(b"MVVMSNAP junk") {
        Err(Error::BadSnapshot(msg)) => assert!(!msg.is_empty()),
        _ => panic!("junk restored"),
    }
}

/// Through the embedding API, a threaded process restored from a snapshot and run
/// with the same budgets follows the original's schedule to the same end.
#[test]
fn embedding_api_restores_threads() {
    let elf = std::fs::read(guest("pipes.static")).unwrap();
    let mut m = Embedded::create(&elf, Config::default()).expect("loads");
    let finish = |m: &mut Embedded| loop {
        match m.run(100_000) {
            Event::BudgetSpent => {}
            e => break e,
        }
    };
    for _ in 0..20 {
        assert_eq!(m.run(100_000), Event::BudgetSpent);
    }
    let snap = m.snapshot().expect("snapshot");
    assert_eq!(thread_states(&snap).0, 1, "a second thread");
    let end = finish(&mut m);
    let mut r = Embedded::restore(&snap).expect("restore");
    assert_eq!(finish(&mut r), end);
    assert_eq!(m.instructions(), r.instructions());
}
