//! A GDB remote-serial-protocol stub (`-g port`), as qemu-user's: the loaded
//! program waits before its first instruction until GDB connects to
//! 127.0.0.1:port, then runs, steps and stops under its control.
//!
//! Scope, and why:
//! - Breakpoints (`Z0`/`Z1`) are kept by the emulator ([`Machine::run_for`] stops
//!   before them), so guest code is never patched and a breakpoint cannot be
//!   seen or overwritten by the guest. There are no watchpoints.
//! - One thread is reported (the main thread, whose tid is the pid): GDB's
//!   all-stop mode needs no more, and the registers shown are those of the
//!   guest thread that ran last.
//! - Faults of the guest's own instructions (SIGSEGV, SIGBUS, SIGILL, SIGTRAP of
//!   `ebreak`) stop with their signal before it is raised, so that GDB shows the
//!   faulting instruction; `C sig` then raises it and `c` drops it (the
//!   instruction runs again, as under ptrace). Asynchronous signals (`kill`,
//!   timers) are delivered without a stop: they are raised deep in the system
//!   call and scheduling code, which would need a hook of its own.
//! - A debugger that disconnects without detaching is treated as a detach (one
//!   line on stderr, then the program runs on to its end), which is what qemu
//!   does; `k` ends the emulator with status 0, also as qemu does.
//! - Malformed packets get an error reply (`E01`) or, if their checksum is bad, a
//!   `-`; unknown ones an empty reply. Nothing the debugger sends can panic.

use crate::hart::Trap;
use crate::linux::{abi::siginfo, signal, ExitStatus, PID};
use crate::machine::{Machine, Stop};
use crate::mem::MAPPED;
use std::collections::{BTreeSet, VecDeque};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::Duration;

/// The largest packet we accept or send (`PacketSize`, in bytes): room for a `g`
/// reply (about 1 KiB) and for memory transfers of a few KiB.
const PACKET_SIZE: usize = 0x4000;

/// Instructions run between looks at the connection for GDB's interrupt (^C).
const SLICE: u64 = 1 << 20;

/// GDB's register numbers besides x0-x31 (0-31): pc, f0-f31 and the FP CSRs as in
/// GDB's `riscv/64bit-cpu.xml` and `64bit-fpu.xml` (CSR n is 65 + n).
const PC: usize = 32;
const F0: usize = 33;
const FFLAGS: usize = 66;
const FRM: usize = 67;
const FCSR: usize = 68;

/// The target description GDB reads with `qXfer:features:read:target.xml`: the
/// register names, sizes and numbers of GDB's own riscv 64-bit description.
fn target_xml() -> String {
    const X: [&str; 32] = [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4",
        "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
        "t5", "t6",
    ];
    const F: [&str; 32] = [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
        "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
        "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ];
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n\
         <target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n\
         <feature name=\"org.gnu.gdb.riscv.cpu\">\n",
    );
    for (i, name) in X.iter().enumerate() {
        let ty = match i {
            1 => "code_ptr",
            2 | 3 | 4 | 8 => "data_ptr",
            _ => "int",
        };
        s += &format!("<reg name=\"{name}\" bitsize=\"64\" type=\"{ty}\" regnum=\"{i}\"/>\n");
    }
    s += &format!("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{PC}\"/>\n");
    s += "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n<union id=\"riscv_double\">\
          <field name=\"float\" type=\"ieee_single\"/>\
          <field name=\"double\" type=\"ieee_double\"/></union>\n";
    for (i, name) in F.iter().enumerate() {
        s += &format!(
            "<reg name=\"{name}\" bitsize=\"64\" type=\"riscv_double\" regnum=\"{}\"/>\n",
            F0 + i
        );
    }
    for (name, n) in [("fflags", FFLAGS), ("frm", FRM), ("fcsr", FCSR)] {
        s += &format!(
            "<reg name=\"{name}\" bitsize=\"32\" type=\"int\" regnum=\"{n}\" group=\"float\"/>\n"
        );
    }
    s + "</feature>\n</target>\n"
}

/// GDB's signal numbers (`gdb/signals.def`, part of the protocol) for Linux's
/// signals 1-31; 0 where GDB has none (SIGSTKFLT).
const GDB_SIGNALS: [u8; 32] = [
    0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15, 0, 20, 19, 17, 18, 21, 22, 16, 24, 25,
    26, 27, 28, 23, 32, 12,
];

/// GDB's number for Linux signal `sig` (real-time signals are split in GDB's table).
fn to_gdb(sig: u8) -> u8 {
    match sig {
        1..=31 => match GDB_SIGNALS[sig as usize] {
            0 => 143, // GDB_SIGNAL_UNKNOWN
            g => g,
        },
        32 => 77,
        33..=63 => sig - 33 + 45,
        64 => 78,
        _ => 143,
    }
}

/// The Linux signal for GDB's number `g`, if there is one.
fn from_gdb(g: u8) -> Option<u8> {
    match g {
        77 => Some(32),
        45..=75 => Some(g - 45 + 33),
        78 => Some(64),
        _ => (1..32u8).find(|&s| GDB_SIGNALS[s as usize] == g && g != 0),
    }
}

/// The Linux signal a fault raises (see `signal::synchronous`).
fn fault_signal(trap: Trap) -> u8 {
    match trap {
        Trap::Misaligned { .. } => 7,
        Trap::Illegal => 4,
        Trap::Ebreak => 5,
        _ => 11,
    }
}

/// How a debugging session ended.
enum End {
    /// The program ended (reported to GDB).
    Exited(ExitStatus),
    /// `k` or `vKill`.
    Killed,
    /// `D`, or the debugger went away: run on without it.
    Detached,
}

/// Why the program stopped, as the stub reports it.
enum Event {
    /// Stopped with this (Linux) signal; `breakpoint` if at one of GDB's breakpoints.
    Signal { sig: u8, breakpoint: bool },
    /// The program ended.
    Ended(ExitStatus),
}

/// Serves GDB on 127.0.0.1:`port` (0: any free port, which is printed) for the
/// loaded machine `m`, then runs it to its end; returns the exit status.
pub fn serve(mut m: Machine, port: u16) -> Result<u8, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|e| format!("cannot listen for GDB on 127.0.0.1:{port}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen for GDB on 127.0.0.1:{port}: {e}"))?;
    // Printed so that a user (or a test that asked for port 0) knows where to connect.
    eprintln!("mvvm: waiting for GDB on {addr}");
    let (stream, _) = listener
        .accept()
        .map_err(|e| format!("no connection from GDB on {addr}: {e}"))?;
    drop(listener);
    // Packets are small and answered one at a time; Nagle would delay each.
    let _ = stream.set_nodelay(true);
    m.stop_on_faults = true;
    let mut stub = Stub {
        m,
        conn: Conn::new(stream),
        breakpoints: BTreeSet::new(),
        fault: None,
        swbreak: false,
        multiprocess: false,
    };
    let end = match stub.session() {
        Ok(end) => end,
        Err(e) => {
            eprintln!("mvvm: the debugger disconnected ({e}); running on without it");
            End::Detached
        }
    };
    let mut m = stub.m;
    match end {
        End::Exited(status) => Ok(m.finish(status).code()),
        End::Killed => {
            eprintln!("mvvm: terminated via the GDB stub");
            Ok(0)
        }
        End::Detached => {
            // A pending fault is raised when its instruction runs again.
            m.stop_on_faults = false;
            Ok(m.run().code())
        }
    }
}

/// The connection: packet framing, checksums and acknowledgements.
struct Conn {
    stream: TcpStream,
    /// Received bytes not yet consumed.
    input: VecDeque<u8>,
    /// Acknowledge packets with `+` (until `QStartNoAckMode`).
    ack: bool,
    /// The last packet sent, for a `-` (resend) from GDB.
    last: Vec<u8>,
    /// Whether the socket can be polled without blocking (for ^C while running).
    pollable: bool,
}

impl Conn {
    fn new(stream: TcpStream) -> Conn {
        Conn {
            stream,
            input: VecDeque::new(),
            ack: true,
            last: Vec::new(),
            pollable: true,
        }
    }

    /// The next received byte; an error at end of stream.
    fn byte(&mut self) -> io::Result<u8> {
        if self.input.is_empty() {
            let mut buf = [0u8; 4096];
            let n = loop {
                match self.stream.read(&mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    r => break r?,
                }
            };
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed",
                ));
            }
            self.input.extend(&buf[..n]);
        }
        self.input
            .pop_front()
            .ok_or_else(|| io::Error::other("no input"))
    }

    /// The next packet with a good checksum (its data between `$` and `#`).
    fn packet(&mut self) -> io::Result<Vec<u8>> {
        loop {
            match self.byte()? {
                b'$' => {}
                // A resend request for our last packet.
                b'-' => {
                    let last = self.last.clone();
                    self.write_raw(&last)?;
                    continue;
                }
                // Acks, a late ^C, and noise between packets.
                _ => continue,
            }
            let mut data = Vec::new();
            let mut sum = 0u8;
            let mut oversized = false;
            loop {
                let b = self.byte()?;
                if b == b'#' {
                    break;
                }
                sum = sum.wrapping_add(b);
                if data.len() < PACKET_SIZE {
                    data.push(b);
                } else {
                    oversized = true;
                }
            }
            let hi = self.byte()?;
            let lo = self.byte()?;
            let good = hex_digit(hi)
                .zip(hex_digit(lo))
                .is_some_and(|(h, l)| h << 4 | l == sum);
            if !self.ack {
                if good && !oversized {
                    return Ok(data);
                }
                continue;
            }
            if good && !oversized {
                self.write_raw(b"+")?;
                return Ok(data);
            }
            self.write_raw(b"-")?;
        }
    }

    /// Sends a packet with `data` (escaped as binary data needs).
    fn send(&mut self, data: &[u8]) -> io::Result<()> {
        let mut p = Vec::with_capacity(data.len() + 4);
        p.push(b'$');
        let mut sum = 0u8;
        for &b in data {
            let escaped: &[u8] = match b {
                b'$' | b'#' | b'}' | b'*' => &[b'}', b ^ 0x20],
                _ => &[b],
            };
            for &e in escaped {
                sum = sum.wrapping_add(e);
                p.push(e);
            }
        }
        p.extend(format!("#{sum:02x}").as_bytes());
        self.write_raw(&p)?;
        self.last = p;
        Ok(())
    }

    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Whether GDB sent an interrupt (^C) while the program ran; other bytes are
    /// kept for [`Conn::packet`]. An error if the debugger went away.
    fn interrupted(&mut self) -> io::Result<bool> {
        if !self.pollable {
            return Ok(false);
        }
        if self.stream.set_nonblocking(true).is_err() {
            // No way to look without blocking (some WASI hosts): no ^C then.
            self.pollable = false;
            return Ok(false);
        }
        let mut buf = [0u8; 4096];
        let read = self.stream.read(&mut buf);
        self.stream.set_nonblocking(false)?;
        match read {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed",
            )),
            Ok(n) => {
                let before = self.input.len();
                self.input.extend(buf[..n].iter().filter(|&&b| b != 0x03));
                Ok(self.input.len() - before < n)
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// After the final packet: waits briefly for GDB's `+`, so that closing the
    /// socket with that byte unread does not reset the connection under GDB.
    fn linger(&mut self) {
        if self.ack && self.input.is_empty() {
            let _ = self.stream.set_read_timeout(Some(Duration::from_secs(1)));
            let _ = self.stream.read(&mut [0u8; 64]);
        }
    }
}

/// What a command asks of the session besides a reply.
enum Action {
    Reply(Vec<u8>),
    Resume {
        step: bool,
        sig: Option<u8>,
    },
    /// Kill, acknowledging with `OK` first if asked to (`vKill` wants it, `k` not).
    Kill {
        ok: bool,
    },
    Detach,
}

/// A debugging session.
struct Stub {
    m: Machine,
    conn: Conn,
    breakpoints: BTreeSet<u64>,
    /// The fault the program stopped at, not yet raised.
    fault: Option<Trap>,
    /// GDB understands `swbreak` stop reasons.
    swbreak: bool,
    /// GDB uses `pPID.TID` thread ids (and so can name the process).
    multiprocess: bool,
}

impl Stub {
    /// Serves packets until the program ends or the debugger lets go of it.
    fn session(&mut self) -> io::Result<End> {
        loop {
            let packet = self.conn.packet()?;
            match self.command(&packet) {
                Action::Reply(r) => self.conn.send(&r)?,
                Action::Resume { step, sig } => match self.resume(step, sig)? {
                    Event::Signal { sig, breakpoint } => {
                        let reason = if breakpoint && self.swbreak {
                            "swbreak:;"
                        } else {
                            ""
                        };
                        let reply =
                            format!("T{:02x}thread:{};{reason}", to_gdb(sig), self.thread());
                        self.conn.send(reply.as_bytes())?;
                    }
                    Event::Ended(status) => {
                        let mut reply = match status {
                            ExitStatus::Exited(code) => format!("W{:02x}", code as u8),
                            ExitStatus::Signaled(sig) => format!("X{:02x}", to_gdb(sig)),
                        };
                        if self.multiprocess {
                            reply += &format!(";process:{PID:x}");
                        }
                        self.conn.send(reply.as_bytes())?;
                        self.conn.linger();
                        return Ok(End::Exited(status));
                    }
                },
                Action::Kill { ok } => {
                    if ok {
                        self.conn.send(b"OK")?;
                        self.conn.linger();
                    }
                    return Ok(End::Killed);
                }
                Action::Detach => {
                    self.conn.send(b"OK")?;
                    return Ok(End::Detached);
                }
            }
        }
    }

    /// Runs or steps the program (after raising `sig`, a Linux signal) until it
    /// stops.
    fn resume(&mut self, step: bool, sig: Option<u8>) -> io::Result<Event> {
        let fault = self.fault.take();
        if let Some(sig) = sig {
            match fault {
                Some(t) if fault_signal(t) == sig => signal::synchronous(&mut self.m, t),
                _ => {
                    signal::send(&mut self.m, siginfo::kill(sig, 0, 0, 0));
                    signal::deliver_pending(&mut self.m);
                }
            }
        }
        if let Some(status) = self.m.os.exit {
            return Ok(Event::Ended(status));
        }
        if step {
            let stop = self.m.run_for(1, &BTreeSet::new());
            return Ok(self.event(stop, false));
        }
        let mut first = true;
        loop {
            // `run_for` runs the instruction it starts at even at a breakpoint (to
            // leave one); only the first slice may do so.
            if !std::mem::take(&mut first) && self.breakpoints.contains(&self.m.hart.pc) {
                return Ok(self.event(Stop::Breakpoint, true));
            }
            match self.m.run_for(SLICE, &self.breakpoints) {
                Stop::Budget => {
                    if self.conn.interrupted()? {
                        return Ok(Event::Signal {
                            sig: 2,
                            breakpoint: false,
                        });
                    }
                }
                stop => return Ok(self.event(stop, true)),
            }
        }
    }

    /// The event for a stop of `run_for`.
    fn event(&mut self, stop: Stop, continuing: bool) -> Event {
        match stop {
            Stop::Exited(status) => Event::Ended(status),
            Stop::Fault(t) => {
                self.fault = Some(t);
                Event::Signal {
                    sig: fault_signal(t),
                    breakpoint: false,
                }
            }
            // The stub intercepts no system calls.
            Stop::Breakpoint | Stop::Budget | Stop::Syscall(_) => Event::Signal {
                sig: 5,
                breakpoint: continuing,
            },
        }
    }

    /// Handles one packet.
    fn command(&mut self, p: &[u8]) -> Action {
        let reply = |s: &str| Action::Reply(s.as_bytes().to_vec());
        // `X` carries binary data; everything else is text.
        if let Some(rest) = p.strip_prefix(b"X") {
            return reply(self.write_binary(rest).unwrap_or("E01"));
        }
        let s = String::from_utf8_lossy(p);
        let s = s.as_ref();
        let (cmd, args) = s.split_at(s.chars().next().map_or(0, char::len_utf8));
        match cmd {
            "?" => {
                let sig = self.fault.map_or(5, fault_signal);
                reply(&format!("T{:02x}thread:{};", to_gdb(sig), self.thread()))
            }
            "g" => Action::Reply(hex(&self.all_registers())),
            "G" => reply(match unhex(args) {
                Some(bytes) => {
                    self.set_all_registers(&bytes);
                    "OK"
                }
                None => "E01",
            }),
            "p" => match num(args).and_then(|n| self.register(n as usize)) {
                Some(bytes) => Action::Reply(hex(&bytes)),
                None => reply("E01"),
            },
            "P" => reply(
                args.split_once('=')
                    .and_then(|(n, v)| Some((num(n)?, unhex(v)?)))
                    .filter(|(n, v)| self.set_register(*n as usize, v))
                    .map_or("E01", |_| "OK"),
            ),
            "m" => match self.read_memory(args) {
                Some(bytes) => Action::Reply(hex(&bytes)),
                None => reply("E14"),
            },
            "M" => reply(
                args.split_once(':')
                    .and_then(|(range, data)| {
                        let (addr, len) = range_of(range)?;
                        let bytes = unhex(data).filter(|b| b.len() as u64 == len)?;
                        self.write_memory(addr, &bytes)
                    })
                    .unwrap_or("E14"),
            ),
            "Z" | "z" => reply(self.breakpoint(cmd == "Z", args)),
            "c" | "s" => match self.resume_at(args) {
                Some(()) => Action::Resume {
                    step: cmd == "s",
                    sig: None,
                },
                None => reply("E01"),
            },
            "C" | "S" => {
                let (sig, addr) = args.split_once(';').unwrap_or((args, ""));
                match (num(sig), self.resume_at(addr)) {
                    (Some(sig), Some(())) => Action::Resume {
                        step: cmd == "S",
                        sig: from_gdb(sig as u8).filter(|_| sig != 0),
                    },
                    _ => reply("E01"),
                }
            }
            "k" => Action::Kill { ok: false },
            "D" => Action::Detach,
            // Thread selection and liveness: there is one thread.
            "H" | "T" => reply("OK"),
            "q" | "Q" => self.query(s),
            "v" => self.v_command(s),
            _ => reply(""),
        }
    }

    /// `q`/`Q` packets.
    fn query(&mut self, s: &str) -> Action {
        let reply = |s: &str| Action::Reply(s.as_bytes().to_vec());
        let (name, args) = s.split_once(':').unwrap_or((s, ""));
        match name {
            "qSupported" => {
                self.swbreak = args.split(';').any(|f| f == "swbreak+");
                self.multiprocess = args.split(';').any(|f| f == "multiprocess+");
                reply(&format!(
                    "PacketSize={PACKET_SIZE:x};qXfer:features:read+;qXfer:auxv:read+;\
                     swbreak+;QStartNoAckMode+;vContSupported+{}",
                    if self.multiprocess {
                        ";multiprocess+"
                    } else {
                        ""
                    }
                ))
            }
            "QStartNoAckMode" => {
                let r = reply("OK");
                // The OK itself is still acknowledged; later packets are not.
                self.conn.ack = false;
                r
            }
            // The process was made for the debugger, but quitting GDB should leave
            // it running, as qemu's stub arranges by answering "attached".
            "qAttached" => reply("1"),
            "qC" => reply(&format!("QC{}", self.thread())),
            "qfThreadInfo" => reply(&format!("m{}", self.thread())),
            "qsThreadInfo" => reply("l"),
            "qXfer" => self.xfer(args),
            _ => reply(""),
        }
    }

    /// `qXfer:object:read:annex:offset,length`.
    fn xfer(&self, args: &str) -> Action {
        let fields: Vec<&str> = args.splitn(4, ':').collect();
        let data = match fields.as_slice() {
            ["features", "read", "target.xml", _] => target_xml().into_bytes(),
            ["auxv", "read", "", _] => self
                .m
                .os
                .auxv
                .iter()
                .flat_map(|&(k, v)| k.to_le_bytes().into_iter().chain(v.to_le_bytes()))
                .collect(),
            [_, "read", _, _] => return Action::Reply(b"E00".to_vec()),
            _ => return Action::Reply(Vec::new()),
        };
        let Some((offset, len)) = fields.get(3).and_then(|r| range_of(r)) else {
            return Action::Reply(b"E01".to_vec());
        };
        let start = offset.min(data.len() as u64) as usize;
        let end = start.saturating_add(len.min(PACKET_SIZE as u64 / 2) as usize);
        let chunk = &data[start..end.min(data.len())];
        let mut r = vec![if end >= data.len() { b'l' } else { b'm' }];
        r.extend_from_slice(chunk);
        Action::Reply(r)
    }

    /// `v` packets.
    fn v_command(&mut self, s: &str) -> Action {
        let reply = |s: &str| Action::Reply(s.as_bytes().to_vec());
        if s == "vCont?" {
            return reply("vCont;c;C;s;S");
        }
        if let Some(actions) = s.strip_prefix("vCont;") {
            // One thread: the first action is for it (GDB lists specific threads
            // before the default action).
            let action = actions.split(';').next().unwrap_or("");
            let action = action.split_once(':').map_or(action, |(a, _)| a);
            let (kind, sig) = action.split_at(action.chars().next().map_or(0, char::len_utf8));
            return match kind {
                "c" | "s" => Action::Resume {
                    step: kind == "s",
                    sig: None,
                },
                "C" | "S" => match num(sig) {
                    Some(g) => Action::Resume {
                        step: kind == "S",
                        sig: from_gdb(g as u8).filter(|_| g != 0),
                    },
                    None => reply("E01"),
                },
                _ => reply("E01"),
            };
        }
        if s.starts_with("vKill") {
            return Action::Kill { ok: true };
        }
        reply("")
    }

    /// The one thread's id as GDB writes it.
    fn thread(&self) -> String {
        if self.multiprocess {
            format!("p{PID:x}.{PID:x}")
        } else {
            format!("{PID:x}")
        }
    }

    /// The optional address of `c`/`s`: resume there.
    fn resume_at(&mut self, addr: &str) -> Option<()> {
        if !addr.is_empty() {
            self.m.hart.pc = num(addr)?;
            self.fault = None;
        }
        Some(())
    }

    /// `Z`/`z` `type,addr,kind`: software and hardware breakpoints are both kept by
    /// the emulator; watchpoints are not supported (empty reply).
    fn breakpoint(&mut self, insert: bool, args: &str) -> &'static str {
        let mut f = args.split(',');
        let (Some(ty), Some(addr)) = (f.next(), f.next().and_then(num)) else {
            return "E01";
        };
        if ty != "0" && ty != "1" {
            return "";
        }
        if insert {
            self.breakpoints.insert(addr);
        } else {
            self.breakpoints.remove(&addr);
        }
        "OK"
    }

    /// Register `n` in GDB's numbering, little-endian.
    fn register(&self, n: usize) -> Option<Vec<u8>> {
        let h = &self.m.hart;
        Some(match n {
            0..=31 => h.x[n].to_le_bytes().to_vec(),
            PC => h.pc.to_le_bytes().to_vec(),
            F0..=64 => h.f[n - F0].to_le_bytes().to_vec(),
            FFLAGS => (h.fflags as u32).to_le_bytes().to_vec(),
            FRM => (h.frm as u32).to_le_bytes().to_vec(),
            FCSR => ((h.frm as u32) << 5 | h.fflags as u32)
                .to_le_bytes()
                .to_vec(),
            _ => return None,
        })
    }

    /// Sets register `n` from little-endian `v` of its exact size.
    fn set_register(&mut self, n: usize, v: &[u8]) -> bool {
        let h = &mut self.m.hart;
        let value = match n {
            0..=PC | F0..=64 => v.try_into().ok().map(u64::from_le_bytes),
            FFLAGS | FRM | FCSR => v.try_into().ok().map(|b| u32::from_le_bytes(b) as u64),
            _ => None,
        };
        let Some(value) = value else { return false };
        match n {
            0..=31 => h.set(n as u8, value),
            PC => {
                h.pc = value;
                self.fault = None;
            }
            FFLAGS => h.fflags = value as u8 & 0x1f,
            FRM => h.frm = value as u8 & 7,
            FCSR => {
                h.fflags = value as u8 & 0x1f;
                h.frm = (value >> 5) as u8 & 7;
            }
            _ => h.f[n - F0] = value,
        }
        true
    }

    /// The registers of the `g` packet, in GDB's order.
    fn all_registers(&self) -> Vec<u8> {
        (0..=64)
            .chain([FFLAGS, FRM, FCSR])
            .filter_map(|n| self.register(n))
            .flatten()
            .collect()
    }

    /// `G`: sets the registers that `bytes` covers whole.
    fn set_all_registers(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        for n in (0..=64).chain([FFLAGS, FRM, FCSR]) {
            let size = if n > 64 { 4 } else { 8 };
            if rest.len() < size {
                break;
            }
            let (v, tail) = rest.split_at(size);
            self.set_register(n, v);
            rest = tail;
        }
    }

    /// `m addr,len`: the readable bytes from `addr` on (at least one, or `None`).
    fn read_memory(&self, args: &str) -> Option<Vec<u8>> {
        let (addr, len) = range_of(args)?;
        let len = len.min(PACKET_SIZE as u64 / 2);
        let mem = &self.m.mem;
        let bytes: Vec<u8> = (0..len)
            .map_while(|i| Some(mem.slice(addr.checked_add(i)?, 1)?[0]))
            .collect();
        (!bytes.is_empty() || len == 0).then_some(bytes)
    }

    /// Writes mapped memory whatever its permissions (a debugger may patch code),
    /// dropping decoded code there.
    fn write_memory(&mut self, addr: u64, bytes: &[u8]) -> Option<&'static str> {
        let m = &mut self.m;
        if !m.mem.check(addr, bytes.len() as u64, MAPPED) {
            return None;
        }
        if m.mem.poke(addr, bytes)? {
            m.code
                .invalidate(&mut m.mem, addr, addr + bytes.len() as u64);
        }
        Some("OK")
    }

    /// `X addr,len:binary`.
    fn write_binary(&mut self, args: &[u8]) -> Option<&'static str> {
        let colon = args.iter().position(|&b| b == b':')?;
        let (addr, len) = range_of(std::str::from_utf8(&args[..colon]).ok()?)?;
        let mut data = Vec::new();
        let mut it = args[colon + 1..].iter();
        while let Some(&b) = it.next() {
            data.push(if b == b'}' { it.next()? ^ 0x20 } else { b });
        }
        if data.len() as u64 != len {
            return None;
        }
        if data.is_empty() {
            // GDB probes for `X` support with an empty write.
            return Some("OK");
        }
        self.write_memory(addr, &data)
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// A hex number as GDB sends them (no sign, no prefix).
fn num(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// `addr,len`.
fn range_of(s: &str) -> Option<(u64, u64)> {
    let (a, l) = s.split_once(',')?;
    Some((num(a)?, num(l)?))
}

fn hex(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2)
        .map(|p| Some(hex_digit(p[0])? << 4 | hex_digit(p[1])?))
        .collect()
}
