//! `mvvm -g port`: Debian's gdb-multiarch debugs a small C program
//! (`tests/gdb/guest.c`, built here with riscv64-linux-gnu-gcc) through the GDB
//! stub, and a raw protocol client checks what GDB itself never sends (junk,
//! malformed packets, a vanishing debugger). A missing gdb-multiarch or compiler
//! is a failure, not a skip. Every child process is killed after a deadline, so a
//! hung stub fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MVVM: &str = env!("CARGO_BIN_EXE_mvvm");
/// How long any one child process may take.
const DEADLINE: Duration = Duration::from_secs(60);

fn source() -> PathBuf {
    Path::new(ROOT).join("tests/gdb/guest.c")
}

/// The sysroot of the dynamic guest.
const SYSROOT: &str = "/usr/riscv64-linux-gnu";

/// The guest, built once: static, with debug information, unoptimized so that
/// GDB's view of variables and lines is exact.
fn guest() -> &'static Path {
    static GUEST: OnceLock<PathBuf> = OnceLock::new();
    GUEST.get_or_init(|| build("guest", "-static"))
}

/// The guest as a dynamically linked PIE (GDB finds its load address and the
/// shared libraries through the auxiliary vector).
fn dynamic_guest() -> &'static Path {
    static GUEST: OnceLock<PathBuf> = OnceLock::new();
    GUEST.get_or_init(|| build("guest.dynamic", "-pie"))
}

/// Compiles `guest.c` to `build/gdb/name` with the link option `link`.
fn build(name: &str, link: &str) -> PathBuf {
    common::cross_gcc("gdb", name, &[link, "-g", "-O0"], "tests/gdb/guest.c")
}

/// The line of `guest.c` that carries `marker`.
fn line(marker: &str) -> usize {
    let text = std::fs::read_to_string(source()).expect("guest.c");
    text.lines()
        .position(|l| l.contains(marker))
        .expect("marker in guest.c")
        + 1
}

/// A child process that is killed when dropped (a failed assertion included).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Killed {
    /// Waits for the exit, killing the child (and failing) at the deadline.
    fn wait(&mut self, what: &str) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.0.kill();
                panic!("{what} did not finish within {DEADLINE:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// An emulator waiting for GDB.
struct Emulator {
    child: Killed,
    port: u16,
    /// Its stdout and stderr so far, collected by threads so that pipes never fill.
    stdout: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::mpsc::Receiver<String>,
}

/// Starts `mvvm -g port guest args` (`port` 0: any free one, which mvvm prints)
/// and waits until it listens.
fn emulator(port: u16, args: &[&str], env_port: bool) -> Emulator {
    emulator_for(guest(), &[], port, args, env_port)
}

/// [`emulator`] for the executable `elf` with emulator options `opts`.
fn emulator_for(elf: &Path, opts: &[&str], port: u16, args: &[&str], env_port: bool) -> Emulator {
    let mut cmd = Command::new(MVVM);
    cmd.args(opts);
    if env_port {
        cmd.env("QEMU_GDB", port.to_string());
    } else {
        cmd.args(["-g", &port.to_string()]);
    }
    let mut child = cmd
        .arg(elf)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mvvm");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let out = child.stdout.take().expect("stdout");
    let child = Killed(child);
    // The first line says where it listens; read it with a deadline.
    let (tx, rx) = std::sync::mpsc::channel();
    let (etx, erx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = err.read_line(&mut first);
        let _ = tx.send(first);
        let mut rest = String::new();
        let _ = err.read_to_string(&mut rest);
        let _ = etx.send(rest);
    });
    let (otx, orx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(out).read_to_string(&mut s);
        let _ = otx.send(s);
    });
    let first = rx
        .recv_timeout(DEADLINE)
        .expect("mvvm did not say where it listens");
    let listening = first
        .trim()
        .strip_prefix("mvvm: waiting for GDB on 127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line from mvvm: {first:?}"));
    let actual: u16 = listening.parse().expect("port");
    if port != 0 {
        assert_eq!(actual, port);
    }
    Emulator {
        child,
        port: actual,
        stdout: orx,
        stderr: erx,
    }
}

impl Emulator {
    /// Waits for the exit; returns the status, stdout and stderr.
    fn finish(mut self) -> (ExitStatus, String, String) {
        let status = self.child.wait("mvvm");
        let out = self.stdout.recv_timeout(DEADLINE).unwrap_or_default();
        let err = self.stderr.recv_timeout(DEADLINE).unwrap_or_default();
        (status, out, err)
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs gdb-multiarch in batch mode on the guest with `commands`; returns its
/// output (stdout and stderr).
fn gdb(port: u16, commands: &[&str]) -> String {
    gdb_for(guest(), &[], port, commands)
}

/// [`gdb`] for the executable `elf`, with `setup` commands before connecting.
fn gdb_for(elf: &Path, setup: &[&str], port: u16, commands: &[&str]) -> String {
    let dir = Path::new(ROOT).join("build/gdb");
    let log = dir.join(format!("gdb-{port}.log"));
    let file = std::fs::File::create(&log).expect("gdb log");
    let mut cmd = Command::new("gdb-multiarch");
    cmd.args(["-nx", "-batch", "-ex", "set architecture riscv:rv64"]);
    for c in setup {
        cmd.args(["-ex", c]);
    }
    cmd.args(["-ex", &format!("target remote 127.0.0.1:{port}")]);
    for c in commands {
        cmd.args(["-ex", c]);
    }
    let child = cmd
        .arg(elf)
        .stdin(Stdio::null())
        .stdout(file.try_clone().expect("log"))
        .stderr(file)
        .spawn()
        .expect("gdb-multiarch is not installed (apt-get install gdb-multiarch)");
    Killed(child).wait("gdb-multiarch");
    let out = std::fs::read_to_string(&log).expect("gdb log");
    let _ = std::fs::remove_file(&log);
    out
}

/// The values of the `pc` lines of `info registers pc`, in order.
fn pcs(out: &str) -> Vec<u64> {
    out.lines()
        .filter_map(|l| l.strip_prefix("pc"))
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|v| u64::from_str_radix(v.strip_prefix("0x")?, 16).ok())
        .collect()
}

fn assert_has(out: &str, want: &str) {
    assert!(
        out.contains(want),
        "expected {want:?} in GDB's output:\n{out}"
    );
}

#[test]
fn breakpoints_registers_memory_steps_and_exit() {
    let port = free_port();
    let emu = emulator(port, &[], false);
    let out = gdb(
        emu.port,
        &[
            "break func",
            "continue",
            "info registers pc",
            "p a",
            "p b",
            "p $a0",
            "p x",
            "x/4xb &buf",
            "set var buf[0] = 'J'",
            "set var x = 5",
            "info registers pc",
            "stepi",
            "info registers pc",
            "next",
            "finish",
            "break half",
            "continue",
            "p $fa0",
            "set var $fcsr = 0x21",
            "p $frm",
            "p $fflags",
            "set var $fcsr = 0",
            "info threads",
            "continue",
        ],
    );
    let func = line("LINE_FUNC");
    assert_has(&out, "Breakpoint 1, func (a=6, b=7) at ");
    assert_has(&out, &format!("guest.c:{func}\n{func}\t"));
    assert_has(&out, "$1 = 6\n$2 = 7\n$3 = 6\n$4 = 1\n");
    assert_has(&out, "<buf>:\t0x68\t0x65\t0x6c\t0x6c\n");
    let pcs = pcs(&out);
    assert_eq!(pcs.len(), 3, "three `info registers pc` in:\n{out}");
    assert_eq!(pcs[0], pcs[1]);
    assert!(
        [2, 4].contains(&(pcs[2] - pcs[1])),
        "stepi moved the pc by one instruction:\n{out}"
    );
    assert_has(&out, &format!("\n{}\t", line("LINE_NEXT")));
    // a * b + x with x set to 5.
    assert_has(&out, "Value returned is $5 = 47\n");
    assert_has(&out, "half (v=5) at ");
    assert_has(&out, &format!("guest.c:{}\n", line("LINE_HALF")));
    assert_has(&out, "double = 5}");
    assert_has(&out, "$7 = 1\n$8 = 1\n");
    assert_has(&out, "Thread 1000.1000");
    // 47 + 5 = 52, which GDB prints in octal.
    assert_has(&out, "[Inferior 1 (process 1000) exited with code 064]");
    let (status, stdout, _) = emu.finish();
    assert_eq!(stdout, "v=47 x=5 buf=Jello! h=2.5\n");
    assert_eq!(status.code(), Some(52));
}

#[test]
fn a_fault_stops_before_its_signal() {
    let emu = emulator(0, &["fault"], false);
    let out = gdb(emu.port, &["continue", "x/i $pc", "continue"]);
    assert_has(&out, "Program received signal SIGSEGV, Segmentation fault.");
    assert_has(&out, &format!("\n{}\t", line("LINE_FAULT")));
    assert_has(
        &out,
        "Program terminated with signal SIGSEGV, Segmentation fault.",
    );
    let (status, _, _) = emu.finish();
    assert_eq!(status.code(), Some(128 + 11));
}

#[test]
fn detach_runs_on_and_the_port_comes_from_qemu_gdb() {
    let emu = emulator(free_port(), &[], true);
    let out = gdb(emu.port, &["break func", "continue", "detach"]);
    assert_has(&out, "Breakpoint 1, func");
    assert_has(&out, "[Inferior 1 (process 1000) detached]");
    let (status, stdout, _) = emu.finish();
    assert_eq!(stdout, "v=43 x=1 buf=hello! h=2.5\n");
    assert_eq!(status.code(), Some(44));
}

#[test]
fn a_dynamic_pie_program_and_its_libraries() {
    let elf = dynamic_guest();
    let emu = emulator_for(elf, &["-L", SYSROOT], 0, &[], false);
    let out = gdb_for(
        elf,
        &[&format!("set sysroot {SYSROOT}")],
        emu.port,
        &[
            "break func",
            "continue",
            "bt",
            "info sharedlibrary",
            "continue",
        ],
    );
    assert_has(&out, "Breakpoint 1, func (a=6, b=7) at ");
    assert_has(&out, " in main (argc=1, ");
    assert_has(
        &out,
        "from /usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1",
    );
    assert_has(&out, "/libc.so.6\n");
    assert_has(&out, "[Inferior 1 (process 1000) exited with code 054]");
    let (status, stdout, _) = emu.finish();
    assert_eq!(stdout, "v=43 x=1 buf=hello! h=2.5\n");
    assert_eq!(status.code(), Some(44));
}

/// A bare-hands protocol client.
struct Client {
    s: TcpStream,
}

impl Client {
    fn connect(port: u16) -> Client {
        let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        Client { s }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.s.write_all(bytes).expect("send");
    }

    fn send(&mut self, data: &[u8]) {
        let sum = data.iter().fold(0u8, |a, &b| a.wrapping_add(b));
        let mut p = vec![b'$'];
        p.extend_from_slice(data);
        p.extend(format!("#{sum:02x}").as_bytes());
        self.raw(&p);
    }

    /// The next packet's data, skipping acks.
    fn recv(&mut self) -> String {
        let mut b = [0u8];
        loop {
            self.s.read_exact(&mut b).expect("a reply");
            if b[0] == b'$' {
                break;
            }
        }
        let mut data = Vec::new();
        loop {
            self.s.read_exact(&mut b).expect("a reply");
            if b[0] == b'#' {
                break;
            }
            data.push(b[0]);
        }
        let mut sum = [0u8; 2];
        self.s.read_exact(&mut sum).expect("checksum");
        String::from_utf8_lossy(&data).into_owned()
    }

    fn ask(&mut self, data: &[u8]) -> String {
        self.send(data);
        self.recv()
    }
}

#[test]
fn malformed_packets_interrupt_and_kill() {
    let emu = emulator(0, &["loop"], false);
    let mut c = Client::connect(emu.port);
    // Noise, a bad checksum, a non-hex checksum and an oversized packet: none is
    // answered but with `-`, and the stub goes on serving.
    c.raw(b"junk\xff\x00$?#00$?#zz$");
    c.raw(&vec![b'A'; 100_000]);
    c.raw(b"#00");
    for (packet, want) in [
        (&b"m"[..], "E14"),
        (b"mzz,1", "E14"),
        (b"m0,10", "E14"),
        (b"mffffffffffffffff,10", "E14"),
        (b"M1000,2:zz", "E14"),
        (b"p", "E01"),
        (b"p99", "E01"),
        (b"P1=00", "E01"),
        (b"Z0", "E01"),
        (b"Z2,1000,4", ""),
        (b"X1,1:", "E01"),
        (b"C", "E01"),
        (b"vCont;q", "E01"),
        (b"vCont;\xff", "E01"),
        (b"vCont;C\xff", "E01"),
        (b"qXfer:features:read:target.xml:zz", "E01"),
        (b"qXfer:features:read:nothing.xml:0,10", "E00"),
        (b"\xff\xfe", ""),
        (b"qUnknown", ""),
        (b"?", "T05thread:3e8;"),
    ] {
        assert_eq!(c.ask(packet), want, "reply to {packet:?}");
    }
    let xml = c.ask(b"qXfer:features:read:target.xml:0,3fff");
    assert!(xml.starts_with('l') && xml.contains("org.gnu.gdb.riscv.fpu"));
    // Run into the endless loop, interrupt it, look at the pc, kill.
    c.send(b"c");
    std::thread::sleep(Duration::from_millis(300));
    c.raw(b"\x03");
    assert!(c.recv().starts_with("T02"));
    assert_eq!(c.ask(b"p20").len(), 16);
    // Resuming at 0 (a null function pointer) stops with SIGSEGV right there.
    assert!(c.ask(b"c0").starts_with("T0b"));
    assert_eq!(c.ask(b"p20"), "0000000000000000");
    c.send(b"k");
    let (status, _, err) = emu.finish();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("terminated via the GDB stub"), "{err}");
}

#[test]
fn a_vanishing_debugger_lets_the_program_run_on() {
    let emu = emulator(0, &[], false);
    let mut c = Client::connect(emu.port);
    assert_eq!(c.ask(b"Z0,10000,2"), "OK");
    drop(c);
    let (status, stdout, err) = emu.finish();
    assert_eq!(stdout, "v=43 x=1 buf=hello! h=2.5\n");
    assert_eq!(status.code(), Some(44));
    assert!(err.contains("the debugger disconnected"), "{err}");
}
