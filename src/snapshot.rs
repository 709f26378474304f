//! Snapshots: a whole guest process, all its threads included, to bytes and back,
//! so that a run can be paused, stored, resumed later or on another host, or
//! forked.
//!
//! # What is saved
//!
//! The running thread's hart (x, f, pc, fflags, frm, the LR reservation, and the
//! process's instret), the CPU's extension set, the address space (the window
//! size, every mapping with its permissions and kind, the bytes of every mapped
//! page that is not all zero, the program break and the mmap placement top), and
//! the Linux state: cwd, exe, sysroot, umask, comm, argv/envp/auxv, the running
//! thread's id and `clear_child_tid` (and the next thread id), niceness,
//! scheduling policy and personality, the signal
//! dispositions, mask, pending signals, alternate stack, interval timers and the
//! sigreturn trampoline, the other threads and the descriptor table. Decoded code
//! and JIT output are not saved: they are rebuilt on demand after a restore.
//!
//! Threads: the green threads waiting their turn, in round-robin order, each with
//! its tid, registers, signal mask, `clear_child_tid` and what it waits for (a
//! futex address and bitset, or descriptor I/O), the parked poll-family calls
//! (their deadline and the mask to restore), and the blocks left in the running
//! thread's time slice. A restored run therefore switches threads at the same
//! points as the uninterrupted one and prints the same; with the JIT on (the
//! launcher only) the slice is counted partly in compiled loop iterations, so
//! there the schedule after a restore may differ. Deadlines (futex and poll
//! timeouts, interval timers, timerfds) are saved as the time left until them, so
//! a restored process waits out the rest of each from the moment it is restored;
//! an absolute realtime futex or timerfd deadline thus follows the restoring
//! host's clock only as far as the time left goes.
//!
//! Descriptors that can be restored: stdin/stdout/stderr (the host's streams of the
//! restoring process; a regular-file stdin is repositioned to the offset the guest
//! had reached, so resuming with the same input file works; in-memory streams of an
//! embedder's machine are saved whole: the input and the output not taken yet), host files (reopened
//! by guest path with the same access mode, `O_APPEND` and offset; the file must
//! still exist), directories (path, listing and position), `/dev/null`, `zero`,
//! `full`, `random`, generated `/proc` contents, pipes and socket pairs (buffers
//! included), signalfds, memfds, eventfds (counter, semaphore mode), timerfds
//! (clock, time left, interval, unread and total expirations, counted up to the
//! moment of the snapshot) and epoll instances (their interest lists, in order,
//! with each item's state; items refer to open file descriptions, and items of
//! files already closed are dropped). Shared open file descriptions (`dup`, epoll
//! items) stay shared.
//!
//! # Format (version 2)
//!
//! All integers are little-endian.
//!
//! ```text
//! magic    8 bytes  "MVVMSNAP"
//! version  u32      FORMAT_VERSION
//! length   u64      payload length
//! checksum u64      FNV-1a (64-bit) of the payload
//! payload  sections, each: tag [u8; 4], body length u64, body
//! ```
//!
//! The sections come in a fixed order: `CONF` (window size, stack size, CPU,
//! sysroot), `HART`, `MEMS` (break, mmap top, mappings), `PAGE` (address and 4096
//! bytes per saved page), `OS__` (process identity and paths), `SIGS`, `THRD`
//! (the time slice left, the waiting threads, the parked calls by tid), `FDS_`
//! (open file descriptions, then descriptor slots that refer to them by index),
//! `SYMS` (symbols an embedder keeps with the snapshot). Strings and byte lists
//! are a u64 length then the bytes, optional values a 0/1 byte then the value,
//! deadlines an optional u64 of nanoseconds left. Version 1 had no `THRD` section
//! and no eventfd, timerfd or epoll descriptors; it is not read.
//!
//! Reading never trusts a length: each is checked against the bytes left before
//! anything is allocated, each section must be consumed exactly, and every value
//! is range-checked (thread ids are unique and below the next one, parked calls
//! belong to a thread, epoll items name a description of the snapshot), so
//! truncated, corrupted or foreign bytes give a [`SnapshotError`], never a panic.

use crate::hart::Hart;
use crate::isa::ExtSet;
use crate::linux::abi::siginfo;
use crate::linux::event;
use crate::linux::fd::{self, FileRef, Kind, OpenFile, Pipe, PipeEnd};
use crate::linux::poll::{Epoll, Item, Retry};
use crate::linux::signal::{Itimer, Pending, SigAction, NSIG};
use crate::linux::thread::{self, Thread, Wait};
use crate::linux::PID;
use crate::machine::{Machine, Options};
use crate::mem::{self, Mem, VmaKind, PAGE};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"MVVMSNAP";
/// The format written, and the only one read.
pub const FORMAT_VERSION: u32 = 2;
const HEADER: usize = 8 + 4 + 8 + 8;

/// Why a snapshot could not be taken or restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// The bytes do not start with [`MAGIC`].
    BadMagic,
    /// Written by another format version.
    Version(u32),
    /// The bytes end early.
    Truncated,
    /// The checksum does not match the payload.
    Checksum,
    /// The payload is well-formed but a value in it is not.
    Corrupt(String),
    /// The process holds state this version cannot save (a process that has
    /// ended, a host file whose offset cannot be read, ...).
    Unsupported(String),
    /// The process is between a system call and the thread switch it asked for
    /// (never the case where the run loop and the embedding API take snapshots);
    /// try again at a later point.
    Busy,
    /// Something the snapshot refers to cannot be recreated on this host.
    Restore(String),
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::BadMagic => write!(f, "not an MVVM snapshot"),
            SnapshotError::Version(v) => write!(
                f,
                "snapshot format version {v} is not supported (this MVVM reads version {FORMAT_VERSION})"
            ),
            SnapshotError::Truncated => write!(f, "snapshot is truncated"),
            SnapshotError::Checksum => write!(f, "snapshot is corrupted (checksum mismatch)"),
            SnapshotError::Corrupt(what) => write!(f, "snapshot is corrupted ({what})"),
            SnapshotError::Unsupported(what) => write!(f, "cannot snapshot {what}"),
            SnapshotError::Busy => write!(f, "the process is inside a system call"),
            SnapshotError::Restore(what) => write!(f, "cannot restore: {what}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

type Result<T> = std::result::Result<T, SnapshotError>;

fn corrupt<T>(what: &str) -> Result<T> {
    Err(SnapshotError::Corrupt(what.to_string()))
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Appends little-endian values.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, v: &[u8]) {
        self.u64(v.len() as u64);
        self.0.extend_from_slice(v);
    }
    fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.u64(v);
            }
            None => self.u8(0),
        }
    }
    fn section(&mut self, tag: &[u8; 4], body: Writer) {
        self.0.extend_from_slice(tag);
        self.bytes(&body.0);
    }
}

/// Reads little-endian values, failing with `Truncated` at the end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.0.len() {
            return Err(SnapshotError::Truncated);
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => corrupt("a flag is neither 0 nor 1"),
        }
    }
    /// A length-prefixed byte string (the length is checked before allocating).
    fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.u64()?;
        if n > self.0.len() as u64 {
            return Err(SnapshotError::Truncated);
        }
        self.take(n as usize)
    }
    fn string(&mut self) -> Result<String> {
        String::from_utf8(self.bytes()?.to_vec()).or_else(|_| corrupt("a string is not UTF-8"))
    }
    fn opt_u64(&mut self) -> Result<Option<u64>> {
        Ok(if self.bool()? {
            Some(self.u64()?)
        } else {
            None
        })
    }
    /// A count of items that each take at least `min` bytes.
    fn count(&mut self, min: usize) -> Result<usize> {
        let n = self.u64()?;
        if n > (self.0.len() / min.max(1)) as u64 {
            return Err(SnapshotError::Truncated);
        }
        Ok(n as usize)
    }
    fn section(&mut self, tag: &[u8; 4]) -> Result<Reader<'a>> {
        if self.take(4)? != tag {
            return corrupt(&format!(
                "expected section {}",
                String::from_utf8_lossy(tag)
            ));
        }
        Ok(Reader(self.bytes()?))
    }
    fn end(&self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            corrupt("a section has trailing bytes")
        }
    }
}

/// Takes a snapshot of `m` (see the module docs); `symbols` are kept with it for an
/// embedder.
pub fn save(m: &Machine, symbols: &[(String, u64)]) -> Result<Vec<u8>> {
    check_saveable(m)?;
    let mut p = Writer::default();

    let mut w = Writer::default();
    w.u64(m.mem.size());
    w.u64(m.stack_size);
    w.u64(m.code.exts.bits());
    w.opt_bytes(m.os.sysroot.as_deref().map(str::as_bytes));
    p.section(b"CONF", w);

    let mut w = Writer::default();
    w.hart(&m.hart);
    p.section(b"HART", w);

    let mut w = Writer::default();
    w.u64(m.mem.brk_start);
    w.u64(m.mem.brk);
    w.u64(m.mem.mmap_top);
    w.u64(m.mem.vmas.len() as u64);
    for (start, v) in m.mem.vmas() {
        w.u64(start);
        w.u64(v.end);
        w.u8(v.prot);
        match &v.kind {
            VmaKind::Anon => w.u8(0),
            VmaKind::Heap => w.u8(1),
            VmaKind::Stack => w.u8(2),
            VmaKind::File(path, off) => {
                w.u8(3);
                w.bytes(path.as_bytes());
                w.u64(*off);
            }
        }
    }
    p.section(b"MEMS", w);

    let mut w = Writer::default();
    let pages: Vec<u64> = m
        .mem
        .vmas()
        .flat_map(|(s, v)| (s..v.end).step_by(PAGE as usize))
        .filter(|&a| m.mem.page_bytes(a).iter().any(|&b| b != 0))
        .collect();
    w.u64(pages.len() as u64);
    for a in pages {
        w.u64(a);
        w.0.extend_from_slice(m.mem.page_bytes(a));
    }
    p.section(b"PAGE", w);

    let mut w = Writer::default();
    let os = &m.os;
    w.bytes(os.cwd.as_bytes());
    w.bytes(os.exe.as_bytes());
    w.0.extend_from_slice(&os.comm);
    w.u32(os.umask);
    w.u64(os.clear_child_tid);
    w.u64(os.threads.current);
    w.u64(os.threads.next_tid);
    for list in [&os.argv, &os.envp] {
        w.u64(list.len() as u64);
        for s in list {
            w.bytes(s);
        }
    }
    w.u64(os.auxv.len() as u64);
    for &(k, v) in &os.auxv {
        w.u64(k);
        w.u64(v);
    }
    let mut reported: Vec<u64> = os.reported.iter().copied().collect();
    reported.sort_unstable();
    w.u64(reported.len() as u64);
    for nr in reported {
        w.u64(nr);
    }
    w.opt_u64(stdin_offset());
    let st = &os.standing;
    w.u32(st.nice as u32);
    w.u32(st.policy);
    w.u32(st.personality);
    w.u8(st.membarrier_registered as u8);
    // In-memory standard streams (embedders): the input and what is not taken yet.
    w.u8(os.stdio.is_some() as u8);
    if let Some(io) = &os.stdio {
        w.bytes(&io.stdin);
        w.bytes(&io.stdout.borrow());
        w.bytes(&io.stderr.borrow());
    }
    p.section(b"OS__", w);

    if m.os.signals.posix_timers.iter().any(Option::is_some) {
        return Err(SnapshotError::Unsupported(
            "POSIX timers (timer_create)".into(),
        ));
    }
    p.section(b"SIGS", save_signals(m));
    p.section(b"THRD", save_threads(m));
    p.section(b"FDS_", save_fds(m)?);

    let mut w = Writer::default();
    w.u64(symbols.len() as u64);
    for (name, addr) in symbols {
        w.bytes(name.as_bytes());
        w.u64(*addr);
    }
    p.section(b"SYMS", w);

    let mut out = Vec::with_capacity(HEADER + p.0.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(p.0.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv1a(&p.0).to_le_bytes());
    out.extend_from_slice(&p.0);
    Ok(out)
}

impl Writer {
    fn opt_bytes(&mut self, v: Option<&[u8]>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.bytes(v);
            }
            None => self.u8(0),
        }
    }
    /// A point in time as the nanoseconds left until it: an `Instant` means
    /// nothing after a restart or on another host.
    fn opt_deadline(&mut self, d: Option<Instant>, now: Instant) {
        self.opt_u64(d.map(|d| nanos(d.saturating_duration_since(now))));
    }
    fn hart(&mut self, h: &Hart) {
        for v in h.x.iter().chain(h.f.iter()) {
            self.u64(*v);
        }
        self.u64(h.pc);
        self.u8(h.fflags);
        self.u8(h.frm);
        self.opt_u64(h.reservation);
        self.u64(h.instret);
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Reader<'_> {
    fn opt_string(&mut self) -> Result<Option<String>> {
        Ok(if self.bool()? {
            Some(self.string()?)
        } else {
            None
        })
    }
    /// A deadline written by [`Writer::opt_deadline`], from now on.
    fn opt_deadline(&mut self) -> Result<Option<Instant>> {
        Ok(self
            .opt_u64()?
            .map(|left| crate::linux::signal::after(Duration::from_nanos(left))))
    }
    fn hart(&mut self) -> Result<Hart> {
        let mut h = Hart::default();
        for v in h.x.iter_mut().chain(h.f.iter_mut()) {
            *v = self.u64()?;
        }
        h.pc = self.u64()?;
        h.fflags = self.u8()?;
        h.frm = self.u8()?;
        h.reservation = self.opt_u64()?;
        h.instret = self.u64()?;
        if h.x[0] != 0 || h.fflags > 0x1f || h.frm > 7 {
            return corrupt("registers");
        }
        Ok(h)
    }
}

/// Refuses what this version cannot save.
fn check_saveable(m: &Machine) -> Result<()> {
    if m.os.exit.is_some() {
        return Err(SnapshotError::Unsupported(
            "a process that has ended".into(),
        ));
    }
    if !m.procs.is_empty() || m.os.pid != PID {
        return Err(SnapshotError::Unsupported(
            "a program that has started other processes (fork)".into(),
        ));
    }
    // The run loop performs a requested switch before it could get here.
    if m.os.threads.request.is_some() {
        return Err(SnapshotError::Busy);
    }
    Ok(())
}

fn save_signals(m: &Machine) -> Writer {
    let s = &m.os.signals;
    let mut w = Writer::default();
    for a in &s.actions {
        w.u64(a.handler);
        w.u64(a.flags);
        w.u64(a.mask);
    }
    w.u64(s.mask);
    w.u64(s.altstack.sp);
    w.u32(s.altstack.flags);
    w.u64(s.altstack.size);
    w.u64(s.pending.len() as u64);
    for p in &s.pending {
        w.u8(p.sig);
        w.0.extend_from_slice(&p.info);
        w.opt_u64(p.tid);
    }
    w.opt_u64(s.saved_mask);
    w.opt_u64(s.trampoline);
    let now = Instant::now();
    for t in &s.itimers {
        w.opt_deadline(t.map(|t| t.next), now);
        w.u64(t.map_or(0, |t| nanos(t.interval)));
    }
    w
}

/// The threads other than the running one in round-robin order, with what each
/// waits for, then the poll-family calls parked between their runs.
fn save_threads(m: &Machine) -> Writer {
    let threads = &m.os.threads;
    let now = Instant::now();
    let mut w = Writer::default();
    w.u64(threads.slice);
    w.u64(threads.queue.len() as u64);
    for t in &threads.queue {
        w.u64(t.tid);
        w.hart(&t.hart);
        w.u64(t.sigmask);
        w.u64(t.clear_child_tid);
        match t.wait {
            Wait::None => w.u8(0),
            Wait::Futex {
                addr,
                bitset,
                deadline,
            } => {
                w.u8(1);
                w.u64(addr);
                w.u32(bitset);
                w.opt_deadline(deadline, now);
            }
            Wait::Io {
                deadline,
                interruptible,
            } => {
                w.u8(2);
                w.opt_deadline(deadline, now);
                w.u8(interruptible as u8);
            }
            Wait::Signal { set, deadline } => {
                w.u8(3);
                w.u64(set);
                w.opt_deadline(deadline, now);
            }
            Wait::Sleep { deadline, rem } => {
                w.u8(4);
                w.opt_deadline(Some(deadline), now);
                w.u64(rem);
            }
        }
    }
    // In tid order: the same process gives the same bytes.
    let mut waits: Vec<(&u64, &Retry)> = m.os.waits.0.iter().collect();
    waits.sort_unstable_by_key(|(tid, _)| **tid);
    w.u64(waits.len() as u64);
    for (tid, r) in waits {
        w.u64(*tid);
        w.opt_deadline(r.deadline, now);
        w.opt_u64(r.mask);
    }
    w
}

/// Open file descriptions first (each once, however many descriptors share it),
/// pipes among them by index, then the descriptor slots.
fn save_fds(m: &Machine) -> Result<Writer> {
    // Each description with the first descriptor that names it (for messages).
    let mut files: Vec<(FileRef, i32)> = Vec::new();
    let mut file_index: HashMap<*const RefCell<OpenFile>, u64> = HashMap::new();
    let mut slots = Vec::new();
    for (fd, slot) in m.os.fds.iter() {
        let idx = *file_index.entry(Rc::as_ptr(&slot.file)).or_insert_with(|| {
            files.push((slot.file.clone(), fd));
            files.len() as u64 - 1
        });
        slots.push((fd, idx, slot.cloexec));
    }
    let mut pipes: Vec<Rc<RefCell<Pipe>>> = Vec::new();
    let mut pipe_index = |end: &PipeEnd| -> u64 {
        match pipes.iter().position(|p| Rc::ptr_eq(p, &end.pipe)) {
            Some(i) => i as u64,
            None => {
                pipes.push(end.pipe.clone());
                pipes.len() as u64 - 1
            }
        }
    };
    let mut fw = Writer::default();
    fw.u64(files.len() as u64);
    for (file, fd) in &files {
        let f = file.borrow();
        fw.bytes(f.path.as_bytes());
        fw.u32(f.flags);
        let refuse = |what: &str| {
            Err(SnapshotError::Unsupported(format!(
                "{what} descriptors (fd {fd}, {})",
                f.path
            )))
        };
        match &f.kind {
            Kind::Stdin => fw.u8(0),
            Kind::Stdout => fw.u8(1),
            Kind::Stderr => fw.u8(2),
            Kind::File(host) => {
                use std::io::Seek;
                let mut host: &std::fs::File = host;
                let pos = host.stream_position().map_err(|e| {
                    SnapshotError::Unsupported(format!("{} (its offset: {e})", f.path))
                })?;
                fw.u8(3);
                fw.u64(pos);
            }
            Kind::Dir { entries, pos } => {
                fw.u8(4);
                fw.u64(*pos as u64);
                match entries {
                    Some(list) => {
                        fw.u8(1);
                        fw.u64(list.len() as u64);
                        for (name, typ, ino) in list {
                            fw.bytes(name.as_bytes());
                            fw.u8(*typ);
                            fw.u64(*ino);
                        }
                    }
                    None => fw.u8(0),
                }
            }
            Kind::Null => fw.u8(5),
            Kind::Zero => fw.u8(6),
            Kind::Full => fw.u8(7),
            Kind::Random => fw.u8(8),
            Kind::Bytes(data, pos) => {
                fw.u8(9);
                fw.bytes(data);
                fw.u64(*pos);
            }
            Kind::Pipe(end) => {
                fw.u8(10);
                fw.u64(pipe_index(end));
                fw.u8(end.write as u8);
            }
            Kind::Fifo { rx, tx } => {
                fw.u8(11);
                fw.u64(pipe_index(rx));
                fw.u64(pipe_index(tx));
            }
            Kind::Signal(set) => {
                fw.u8(12);
                fw.u64(*set);
            }
            Kind::Mem(mf) => {
                fw.u8(13);
                fw.bytes(&mf.data);
                fw.u64(mf.pos);
            }
            Kind::Event(e) => {
                fw.u8(14);
                fw.u64(e.count);
                fw.u8(e.semaphore as u8);
                fw.u64(e.gens.0);
                fw.u64(e.gens.1);
            }
            Kind::Timer(t) => {
                // Expirations already due are counted now: the time left cannot
                // say how many intervals have passed.
                let now = Instant::now();
                let (due, next) = t.due(now);
                fw.u8(15);
                fw.u32(t.clock as u32);
                fw.opt_deadline(next, now);
                fw.u64(nanos(t.interval));
                fw.u64(t.ticks.saturating_add(due));
                fw.u64(t.total.wrapping_add(due));
            }
            Kind::Epoll(ep) => {
                // Items whose file is closed are invisible: they are left out.
                let live: Vec<_> = ep
                    .items
                    .iter()
                    .filter_map(|it| Some((it, it.file.upgrade()?)))
                    .collect();
                fw.u8(16);
                fw.u64(live.len() as u64);
                for (it, target) in live {
                    let Some(&idx) = file_index.get(&Rc::as_ptr(&target)) else {
                        return refuse("epoll (watching a file no descriptor names)");
                    };
                    fw.u32(it.fd as u32);
                    fw.u64(idx);
                    fw.u32(it.events);
                    fw.u64(it.data);
                    match it.seen {
                        Some((input, output)) => {
                            fw.u8(1);
                            fw.u64(input);
                            fw.u64(output);
                        }
                        None => fw.u8(0),
                    }
                    fw.u8(it.disarmed as u8);
                }
            }
            Kind::Sink(sink) => {
                let stdio = m.os.stdio.as_ref();
                let stream = match stdio {
                    Some(io) if Rc::ptr_eq(sink, &io.stdout) => 1,
                    Some(io) if Rc::ptr_eq(sink, &io.stderr) => 2,
                    _ => return refuse("in-memory output of no stream"),
                };
                fw.u8(17);
                fw.u8(stream);
            }
            Kind::Net(_) => return refuse("network socket"),
            Kind::Unix(_) => return refuse("unix socket"),
        }
    }
    let mut w = Writer::default();
    w.u64(pipes.len() as u64);
    for p in &pipes {
        let p = p.borrow();
        let data: Vec<u8> = p.data.iter().copied().collect();
        w.bytes(&data);
        w.u64(p.wrote);
        w.u64(p.drained);
    }
    w.0.extend_from_slice(&fw.0);
    w.u64(slots.len() as u64);
    for (fd, idx, cloexec) in slots {
        w.u32(fd as u32);
        w.u64(idx);
        w.u8(cloexec as u8);
    }
    Ok(w)
}

/// How far the guest has read a regular-file stdin (natively; `None` otherwise).
#[cfg(unix)]
fn stdin_offset() -> Option<u64> {
    use std::io::Seek;
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let mut f = std::fs::File::from(fd);
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    f.stream_position().ok()
}

#[cfg(not(unix))]
fn stdin_offset() -> Option<u64> {
    None
}

/// Moves a regular-file stdin to `off` (a restored guest goes on reading where the
/// snapshotted one was, given the same input file).
#[cfg(unix)]
fn seek_stdin(off: u64) {
    use std::io::{Seek, SeekFrom};
    use std::os::fd::AsFd;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return;
    };
    let mut f = std::fs::File::from(fd);
    if f.metadata().is_ok_and(|md| md.is_file()) {
        let _ = f.seek(SeekFrom::Start(off));
    }
}

#[cfg(not(unix))]
fn seek_stdin(_: u64) {}

/// Largest guest window a snapshot may ask for (the CLI allows 3 GiB).
const MAX_WINDOW: u64 = 4 << 30;

/// Rebuilds a machine from `bytes`. `opts` gives what is not part of the process
/// (logging, `-strace`, the JIT threshold, and a sysroot that replaces the saved
/// one); the window size, stack size and CPU come from the snapshot. Returns the
/// machine and the symbols saved with it.
pub fn load(bytes: &[u8], opts: &Options) -> Result<(Machine, Vec<(String, u64)>)> {
    let mut r = Reader(bytes);
    if bytes.len() < MAGIC.len() || r.take(MAGIC.len())? != MAGIC {
        return Err(SnapshotError::BadMagic);
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(SnapshotError::Version(version));
    }
    let len = r.u64()?;
    let sum = r.u64()?;
    if len != r.0.len() as u64 {
        return Err(if len > r.0.len() as u64 {
            SnapshotError::Truncated
        } else {
            SnapshotError::Corrupt("bytes after the payload".into())
        });
    }
    if fnv1a(r.0) != sum {
        return Err(SnapshotError::Checksum);
    }

    let mut s = r.section(b"CONF")?;
    let size = s.u64()?;
    let stack_size = s.u64()?;
    let exts = ExtSet::from_bits(s.u64()?)
        .ok_or_else(|| SnapshotError::Corrupt("unknown CPU extensions".into()))?;
    let sysroot = s.opt_string()?;
    s.end()?;
    if size % PAGE != 0 || !(16 * PAGE..=MAX_WINDOW).contains(&size) || size > usize::MAX as u64 {
        return corrupt("guest window size");
    }
    let opts = Options {
        mem_size: size,
        stack_size,
        cpu: exts,
        sysroot: opts.sysroot.clone().or(sysroot),
        ..opts.clone()
    };
    // The JIT (if any) is created after memory is in place: see below.
    let jit_threshold = opts.jit_threshold;
    let mut m = Machine::new(
        &Options {
            jit_threshold: 0,
            jit_lockstep: false,
            ..opts.clone()
        },
        "/".into(),
    )
    .map_err(SnapshotError::Restore)?;

    let mut s = r.section(b"HART")?;
    m.hart = s.hart()?;
    s.end()?;

    let mut s = r.section(b"MEMS")?;
    load_mem(&mut s, &mut m.mem)?;
    s.end()?;

    let mut s = r.section(b"PAGE")?;
    let n = s.count(8 + PAGE as usize)?;
    for _ in 0..n {
        let addr = s.u64()?;
        let data = s.take(PAGE as usize)?;
        if addr % PAGE != 0 || m.mem.vma_at(addr).is_none() {
            return corrupt("a saved page is not mapped");
        }
        m.mem.fill(addr, data);
    }
    s.end()?;

    let mut s = r.section(b"OS__")?;
    let os = &mut m.os;
    os.cwd = s.string()?;
    let exe = s.string()?;
    os.set_exe(exe);
    os.comm = s.array()?;
    os.umask = s.u32()? & 0o777;
    os.clear_child_tid = s.u64()?;
    os.threads.current = s.u64()?;
    os.threads.next_tid = s.u64()?;
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        for _ in 0..s.count(8)? {
            list.push(s.bytes()?.to_vec());
        }
    }
    [os.argv, os.envp] = lists;
    for _ in 0..s.count(16)? {
        os.auxv.push((s.u64()?, s.u64()?));
    }
    for _ in 0..s.count(8)? {
        os.reported.insert(s.u64()?);
    }
    let stdin_off = s.opt_u64()?;
    os.standing = crate::linux::identity::Standing {
        nice: (s.u32()? as i32).clamp(-20, 19),
        policy: s.u32()?,
        personality: s.u32()?,
        membarrier_registered: s.bool()?,
    };
    if !matches!(os.standing.policy, 0 | 3 | 5) {
        return corrupt("scheduling policy");
    }
    if s.bool()? {
        let stdin = s.bytes()?.to_vec();
        let [stdout, stderr] = [s.bytes()?.to_vec(), s.bytes()?.to_vec()];
        os.stdio = Some(fd::MemoryStdio {
            stdin,
            stdout: Rc::new(RefCell::new(stdout)),
            stderr: Rc::new(RefCell::new(stderr)),
        });
    }
    s.end()?;
    if !os.cwd.starts_with('/') {
        return corrupt("working directory");
    }
    if !(PID..=MAX_TID).contains(&os.threads.next_tid)
        || !(1..os.threads.next_tid).contains(&os.threads.current)
    {
        return corrupt("thread id");
    }

    let mut s = r.section(b"SIGS")?;
    load_signals(&mut s, &mut m)?;
    s.end()?;

    let mut s = r.section(b"THRD")?;
    load_threads(&mut s, &mut m)?;
    s.end()?;

    let mut s = r.section(b"FDS_")?;
    load_fds(&mut s, &mut m)?;
    s.end()?;

    let mut s = r.section(b"SYMS")?;
    let mut symbols = Vec::new();
    for _ in 0..s.count(16)? {
        symbols.push((s.string()?, s.u64()?));
    }
    s.end()?;
    r.end()?;

    crate::machine::attach_jit(
        &mut m.code,
        &mut m.mem,
        &Options {
            jit_threshold,
            ..opts
        },
    )
    .map_err(SnapshotError::Restore)?;
    if let Some(off) = stdin_off {
        seek_stdin(off);
    }
    Ok((m, symbols))
}

fn load_mem(s: &mut Reader, mem: &mut Mem) -> Result<()> {
    let (brk_start, brk, mmap_top) = (s.u64()?, s.u64()?, s.u64()?);
    let size = mem.size();
    if brk_start > brk || brk > size || mmap_top > size {
        return corrupt("program break");
    }
    let mut prev_end = PAGE;
    for _ in 0..s.count(17)? {
        let (start, end, prot) = (s.u64()?, s.u64()?, s.u8()?);
        let kind = match s.u8()? {
            0 => VmaKind::Anon,
            1 => VmaKind::Heap,
            2 => VmaKind::Stack,
            3 => VmaKind::File(s.string()?.into(), s.u64()?),
            _ => return corrupt("mapping kind"),
        };
        if start % PAGE != 0
            || end % PAGE != 0
            || start < prev_end
            || end <= start
            || end > size
            || prot & !(mem::R | mem::W | mem::X) != 0
        {
            return corrupt("mapping list");
        }
        prev_end = end;
        mem.map(start, end - start, prot, kind);
    }
    mem.brk_start = brk_start;
    mem.brk = brk;
    mem.mmap_top = mmap_top;
    Ok(())
}

fn load_signals(s: &mut Reader, m: &mut Machine) -> Result<()> {
    let sig = &mut m.os.signals;
    for a in sig.actions.iter_mut() {
        *a = SigAction {
            handler: s.u64()?,
            flags: s.u64()?,
            mask: s.u64()?,
        };
    }
    sig.mask = s.u64()?;
    sig.altstack.sp = s.u64()?;
    sig.altstack.flags = s.u32()?;
    sig.altstack.size = s.u64()?;
    for _ in 0..s.count(2 + siginfo::SIZE)? {
        let signo = s.u8()?;
        let info: [u8; siginfo::SIZE] = s.array()?;
        let tid = s.opt_u64()?;
        if !(1..=NSIG as u8).contains(&signo) || info[siginfo::SIGNO] != signo {
            return corrupt("pending signal");
        }
        sig.pending.push(Pending {
            sig: signo,
            info,
            tid,
        });
    }
    sig.thread = m.os.threads.current;
    sig.saved_mask = s.opt_u64()?;
    sig.trampoline = s.opt_u64()?;
    for t in sig.itimers.iter_mut() {
        let next = s.opt_deadline()?;
        let interval = Duration::from_nanos(s.u64()?);
        *t = next.map(|next| Itimer { next, interval });
    }
    Ok(())
}

/// Largest thread id a snapshot may hold (`pid_t` is an `int`).
const MAX_TID: u64 = i32::MAX as u64;

fn load_threads(s: &mut Reader, m: &mut Machine) -> Result<()> {
    let threads = &mut m.os.threads;
    threads.slice = s.u64()?;
    if !(1..=thread::QUANTUM).contains(&threads.slice) {
        return corrupt("scheduler slice");
    }
    let mut tids = HashSet::from([threads.current]);
    // Each thread holds at least its registers.
    for _ in 0..s.count(64 * 8)? {
        let tid = s.u64()?;
        let hart = s.hart()?;
        let (sigmask, clear_child_tid) = (s.u64()?, s.u64()?);
        let wait = match s.u8()? {
            0 => Wait::None,
            1 => {
                let (addr, bitset, deadline) = (s.u64()?, s.u32()?, s.opt_deadline()?);
                if addr % 4 != 0 || bitset == 0 {
                    return corrupt("futex wait");
                }
                Wait::Futex {
                    addr,
                    bitset,
                    deadline,
                }
            }
            2 => {
                let deadline = s.opt_deadline()?;
                Wait::Io {
                    deadline,
                    interruptible: s.bool()?,
                }
            }
            3 => Wait::Signal {
                set: s.u64()?,
                deadline: s.opt_deadline()?,
            },
            4 => Wait::Sleep {
                deadline: s
                    .opt_deadline()?
                    .ok_or_else(|| SnapshotError::Corrupt("sleep".into()))?,
                rem: s.u64()?,
            },
            _ => return corrupt("thread wait"),
        };
        if tid >= threads.next_tid || !tids.insert(tid) {
            return corrupt("thread id");
        }
        threads.queue.push_back(Thread {
            tid,
            hart,
            sigmask,
            clear_child_tid,
            wait,
        });
    }
    let waits = &mut m.os.waits.0;
    for _ in 0..s.count(10)? {
        let (tid, deadline, mask) = (s.u64()?, s.opt_deadline()?, s.opt_u64()?);
        if !tids.contains(&tid) || waits.insert(tid, Retry { deadline, mask }).is_some() {
            return corrupt("parked call");
        }
    }
    Ok(())
}

fn load_fds(s: &mut Reader, m: &mut Machine) -> Result<()> {
    let mut pipes = Vec::new();
    for _ in 0..s.count(24)? {
        let data = s.bytes()?;
        if data.len() > fd::PIPE_CAPACITY {
            return corrupt("pipe contents");
        }
        pipes.push(Rc::new(RefCell::new(Pipe {
            data: data.iter().copied().collect(),
            readers: 0,
            writers: 0,
            wrote: s.u64()?,
            drained: s.u64()?,
            ino: fd::next_ino(),
        })));
    }
    let end = |i: u64, write: bool| -> Result<PipeEnd> {
        let pipe = pipes
            .get(i as usize)
            .ok_or_else(|| SnapshotError::Corrupt("pipe index".into()))?;
        // Each end counts itself in, as `PipeEnd::pair` does; dropping it counts
        // itself out.
        let mut p = pipe.borrow_mut();
        if write {
            p.writers += 1;
        } else {
            p.readers += 1;
        }
        Ok(PipeEnd {
            pipe: pipe.clone(),
            write,
        })
    };
    let mut files = Vec::new();
    // Epoll instances with their items; the files the items watch may come later.
    let mut epolls = Vec::new();
    for _ in 0..s.count(13)? {
        let path = s.string()?;
        let flags = s.u32()?;
        let kind = match s.u8()? {
            0 => Kind::Stdin,
            1 => Kind::Stdout,
            2 => Kind::Stderr,
            3 => Kind::File(reopen(m, &path, flags, s.u64()?)?),
            4 => {
                let pos = s.u64()?;
                let entries = if s.bool()? {
                    let mut list = Vec::new();
                    for _ in 0..s.count(17)? {
                        list.push((s.string()?, s.u8()?, s.u64()?));
                    }
                    Some(list)
                } else {
                    None
                };
                let pos = usize::try_from(pos).or_else(|_| corrupt("directory position"))?;
                Kind::Dir { entries, pos }
            }
            5 => Kind::Null,
            6 => Kind::Zero,
            7 => Kind::Full,
            8 => Kind::Random,
            9 => Kind::Bytes(s.bytes()?.to_vec(), s.u64()?),
            10 => {
                let i = s.u64()?;
                Kind::Pipe(end(i, s.bool()?)?)
            }
            11 => {
                let (rx, tx) = (s.u64()?, s.u64()?);
                Kind::Fifo {
                    rx: end(rx, false)?,
                    tx: end(tx, true)?,
                }
            }
            12 => Kind::Signal(s.u64()?),
            13 => {
                let data = s.bytes()?.to_vec();
                let pos = s.u64()?;
                Kind::Mem(event::MemFile { data, pos })
            }
            14 => {
                let (count, semaphore) = (s.u64()?, s.bool()?);
                if count > event::EVENTFD_MAX {
                    return corrupt("eventfd counter");
                }
                Kind::Event(event::EventFd {
                    count,
                    semaphore,
                    gens: (s.u64()?, s.u64()?),
                })
            }
            15 => {
                let clock = s.u32()? as i32;
                if ![
                    event::CLOCK_REALTIME,
                    event::CLOCK_MONOTONIC,
                    event::CLOCK_BOOTTIME,
                ]
                .contains(&clock)
                {
                    return corrupt("timerfd clock");
                }
                Kind::Timer(event::TimerFd {
                    clock,
                    next: s.opt_deadline()?,
                    interval: Duration::from_nanos(s.u64()?),
                    ticks: s.u64()?,
                    total: s.u64()?,
                })
            }
            16 => {
                let mut items = Vec::new();
                for _ in 0..s.count(26)? {
                    let (fd, idx, events, data) = (s.u32()? as i32, s.u64()?, s.u32()?, s.u64()?);
                    let seen = if s.bool()? {
                        Some((s.u64()?, s.u64()?))
                    } else {
                        None
                    };
                    items.push((fd, idx, events, data, seen, s.bool()?));
                }
                epolls.push((files.len(), items));
                Kind::Epoll(Epoll::default())
            }
            17 => {
                let io = m.os.stdio.as_ref();
                let io = io.ok_or_else(|| SnapshotError::Corrupt("in-memory output".into()))?;
                match s.u8()? {
                    1 => Kind::Sink(io.stdout.clone()),
                    2 => Kind::Sink(io.stderr.clone()),
                    _ => return corrupt("in-memory output stream"),
                }
            }
            _ => return corrupt("descriptor kind"),
        };
        files.push(OpenFile::new(kind, path, flags));
    }
    for (at, items) in epolls {
        let mut list = Vec::new();
        for (fd, idx, events, data, seen, disarmed) in items {
            let target = files
                .get(idx as usize)
                .filter(|_| idx as usize != at)
                .ok_or_else(|| SnapshotError::Corrupt("epoll item".into()))?;
            list.push(Item {
                fd,
                file: Rc::downgrade(target),
                events,
                data,
                seen,
                disarmed,
            });
        }
        if let Kind::Epoll(ep) = &mut files[at].borrow_mut().kind {
            ep.items = list;
        }
    }
    let mut table = fd::FdTable::default();
    for _ in 0..s.count(13)? {
        let fd = s.u32()?;
        let idx = s.u64()?;
        let cloexec = s.bool()?;
        let file = files
            .get(idx as usize)
            .ok_or_else(|| SnapshotError::Corrupt("descriptor index".into()))?;
        if table.slot(fd as i32).is_ok() {
            return corrupt("descriptor listed twice");
        }
        table
            .insert_at(fd as i32, file.clone(), cloexec)
            .or_else(|_| corrupt("descriptor number"))?;
    }
    m.os.fds = table;
    Ok(())
}

/// Opens the host file behind guest path `path` again, as it was: same access mode
/// and `O_APPEND`, at offset `pos`; never creating or truncating it.
fn reopen(m: &Machine, path: &str, flags: u32, pos: u64) -> Result<std::fs::File> {
    use fd::flags::*;
    use std::io::{Seek, SeekFrom};
    let host = m.host_path(path);
    let acc = flags & O_ACCMODE;
    let mut f = std::fs::OpenOptions::new()
        .read(acc != O_WRONLY)
        .write(acc != 0 && flags & O_APPEND == 0)
        .append(acc != 0 && flags & O_APPEND != 0)
        .open(&host)
        .map_err(|e| SnapshotError::Restore(format!("{path}: {e}")))?;
    f.seek(SeekFrom::Start(pos))
        .map_err(|e| SnapshotError::Restore(format!("{path}: {e}")))?;
    Ok(f)
}

impl Machine {
    /// The whole process as bytes (see [`crate::snapshot`]).
    pub fn snapshot(&self) -> Result<Vec<u8>> {
        save(self, &[])
    }

    /// A machine rebuilt from [`Machine::snapshot`] bytes; `opts` as in [`load`].
    pub fn restore(bytes: &[u8], opts: &Options) -> Result<Machine> {
        load(bytes, opts).map(|(m, _)| m)
    }
}

/// A snapshot the run loop is to take (`-snapshot-at`, `-pause-at`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Take it once this many instructions have retired (at the next point between
    /// blocks, after any system call has completed).
    pub at: u64,
    /// Where to write it.
    pub path: String,
    /// End the run once it is written (pause) instead of going on (fork).
    pub stop: bool,
}

/// The block budget for the run loop's next round: short enough not to run far
/// past a planned snapshot.
pub(crate) fn budget(m: &Machine, budget: u64) -> u64 {
    match &m.snapshot_plan {
        Some(p) if m.hart.instret < p.at => {
            let left = (p.at - m.hart.instret) / crate::interp::MAX_BLOCK as u64;
            budget.min(left.max(1))
        }
        _ => budget,
    }
}

/// Takes the planned snapshot if it is due; returns whether the run should stop.
/// A snapshot that cannot be taken is reported on stderr and the run goes on.
pub(crate) fn take_planned(m: &mut Machine) -> bool {
    match &m.snapshot_plan {
        Some(p) if m.hart.instret >= p.at => {}
        _ => return false,
    }
    let result = save(m, &[]);
    // A thread switch still pending: the next round performs it, try again then.
    if result == Err(SnapshotError::Busy) {
        return false;
    }
    let Some(plan) = m.snapshot_plan.take() else {
        return false;
    };
    let written = result.and_then(|bytes| {
        std::fs::write(&plan.path, bytes)
            .map_err(|e| SnapshotError::Restore(format!("{}: {e}", plan.path)))
    });
    match written {
        Ok(()) => plan.stop,
        Err(SnapshotError::Restore(e)) => {
            eprintln!("mvvm: cannot write the snapshot: {e}");
            false
        }
        Err(e) => {
            eprintln!("mvvm: snapshot refused: {e}");
            false
        }
    }
}

/// Reports a planned snapshot that the program ended before reaching.
pub(crate) fn report_missed(m: &Machine) {
    if let Some(p) = &m.snapshot_plan {
        eprintln!(
            "mvvm: no snapshot written to {}: the program ended after {} instructions",
            p.path, m.hart.instret
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linux::{event, poll, Args};
    use std::collections::VecDeque;

    fn machine() -> Machine {
        let opts = Options {
            mem_size: 1 << 20,
            jit_threshold: 0,
            ..Options::default()
        };
        Machine::new(&opts, "/".into()).expect("machine")
    }

    #[test]
    fn refuses_a_program_that_has_forked() {
        let mut m = machine();
        m.procs.zombies.push(crate::linux::procs::Zombie {
            pid: PID + 1,
            ppid: PID,
            pgid: PID,
            status: crate::linux::ExitStatus::Exited(0),
        });
        let err = save(&m, &[]).expect_err("a zombie child");
        assert!(matches!(err, SnapshotError::Unsupported(_)), "{err}");
    }

    fn round_trip(m: &Machine) -> Result<Machine> {
        let bytes = save(m, &[])?;
        load(&bytes, &Options::default()).map(|(m, _)| m)
    }

    /// Seconds from now until `d` (negative if past).
    fn secs_left(d: Option<Instant>) -> f64 {
        d.expect("a deadline")
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    fn threads(m: &mut Machine) {
        let now = Instant::now();
        let mut hart = Hart::default();
        hart.x[5] = 7;
        hart.pc = 0x1234;
        let thread = |tid, wait| Thread {
            tid,
            hart: hart.clone(),
            sigmask: tid * 3,
            clear_child_tid: tid * 8,
            wait,
        };
        let q = VecDeque::from([
            thread(1003, Wait::None),
            thread(
                1001,
                Wait::Futex {
                    addr: 0x1000,
                    bitset: 0xff,
                    deadline: Some(now + Duration::from_secs(50)),
                },
            ),
            thread(
                1002,
                Wait::Io {
                    deadline: None,
                    interruptible: true,
                },
            ),
        ]);
        let t = &mut m.os.threads;
        t.queue = q;
        t.next_tid = 1004;
        t.slice = 1234;
        m.os.waits.0.insert(
            1002,
            Retry {
                deadline: Some(now + Duration::from_secs(30)),
                mask: Some(0x55),
            },
        );
    }

    #[test]
    fn threads_and_their_waits_round_trip() {
        let mut m = machine();
        threads(&mut m);
        let r = round_trip(&m).expect("restores");
        let (a, b) = (&m.os.threads, &r.os.threads);
        assert_eq!((b.current, b.next_tid, b.slice), (a.current, 1004, 1234));
        assert_eq!(a.queue.len(), b.queue.len());
        for (x, y) in a.queue.iter().zip(&b.queue) {
            assert_eq!(
                (x.tid, x.sigmask, x.clear_child_tid),
                (y.tid, y.sigmask, y.clear_child_tid)
            );
            assert_eq!((x.hart.x, x.hart.pc), (y.hart.x, y.hart.pc));
            match (x.wait, y.wait) {
                (
                    Wait::Futex { deadline, .. },
                    Wait::Futex {
                        addr,
                        bitset,
                        deadline: d,
                    },
                ) => {
                    assert_eq!((addr, bitset), (0x1000, 0xff));
                    assert!((secs_left(deadline) - secs_left(d)).abs() < 5.0);
                }
                (w, v) => assert_eq!(w, v),
            }
        }
        let retry = r.os.waits.0.get(&1002).expect("parked call kept");
        assert_eq!(retry.mask, Some(0x55));
        assert!((25.0..=30.0).contains(&secs_left(retry.deadline)));
    }

    #[test]
    fn impossible_thread_states_are_corrupt() {
        let breakers: [fn(&mut Machine); 7] = [
            |m| m.os.threads.queue[1].tid = 1003,
            |m| m.os.threads.queue[1].tid = m.os.threads.current,
            |m| m.os.threads.next_tid = 1003,
            |m| m.os.threads.current = 0,
            |m| m.os.threads.slice = 0,
            |m| {
                m.os.waits.0.insert(
                    999,
                    Retry {
                        deadline: None,
                        mask: None,
                    },
                );
            },
            |m| {
                m.os.threads.queue[1].wait = Wait::Futex {
                    addr: 2,
                    bitset: 1,
                    deadline: None,
                }
            },
        ];
        for (i, f) in breakers.into_iter().enumerate() {
            let mut m = machine();
            threads(&mut m);
            f(&mut m);
            assert!(
                matches!(round_trip(&m), Err(SnapshotError::Corrupt(_))),
                "case {i}"
            );
        }
    }

    fn call(
        m: &mut Machine,
        f: fn(&mut Machine, &Args) -> crate::linux::SysResult,
        a: [u64; 6],
    ) -> i32 {
        f(m, &Args(a)).expect("system call") as i32
    }

    #[test]
    fn event_files_round_trip_with_shared_identity() {
        const EPOLLIN: u64 = 1;
        const EPOLLET: u64 = 1 << 31;
        let mut m = machine();
        m.mem.map(0x10000, PAGE, mem::R | mem::W, VmaKind::Anon);
        let efd = call(&mut m, event::eventfd2, [5, 1, 0, 0, 0, 0]);
        let tfd = call(&mut m, event::timerfd_create, [1, 0, 0, 0, 0, 0]);
        let gone = call(&mut m, event::eventfd2, [0, 0, 0, 0, 0, 0]);
        let (rx, _tx) = PipeEnd::pair();
        let pipe = OpenFile::new(Kind::Pipe(rx), "pipe:[1]".into(), 0);
        let p = m.os.fds.insert(pipe.clone(), false).unwrap();
        let dup = m.os.fds.insert(pipe, true).unwrap();
        let ep = call(&mut m, poll::epoll_create1, [0; 6]);
        let outer = call(&mut m, poll::epoll_create1, [0; 6]);
        let add = |m: &mut Machine, ep: i32, fd: i32, events: u64| {
            m.copy_out(0x10000, &events.to_le_bytes()).unwrap();
            m.copy_out(0x10008, &(fd as u64 * 10).to_le_bytes())
                .unwrap();
            call(m, poll::epoll_ctl, [ep as u64, 1, fd as u64, 0x10000, 0, 0]);
        };
        add(&mut m, ep, efd, EPOLLIN | EPOLLET);
        add(&mut m, ep, gone, EPOLLIN);
        add(&mut m, ep, tfd, EPOLLIN);
        add(&mut m, ep, dup, EPOLLIN);
        add(&mut m, outer, ep, EPOLLIN);
        m.os.fds.close(gone).unwrap();
        if let Kind::Timer(t) = &mut m.os.fds.get(tfd).unwrap().borrow_mut().kind {
            t.next = Some(Instant::now() + Duration::from_secs(100));
            (t.interval, t.ticks, t.total) = (Duration::from_millis(3), 2, 9);
        }
        if let Kind::Epoll(e) = &mut m.os.fds.get(ep).unwrap().borrow_mut().kind {
            (e.items[0].seen, e.items[3].disarmed) = (Some((4, 5)), true);
        }

        let r = round_trip(&m).expect("restores");
        let file = |fd| r.os.fds.get(fd).unwrap();
        assert!(Rc::ptr_eq(&file(p), &file(dup)));
        match &file(efd).borrow().kind {
            Kind::Event(e) => assert_eq!((e.count, e.semaphore, e.gens), (5, true, (0, 0))),
            k => panic!("{k:?}"),
        }
        match &file(tfd).borrow().kind {
            Kind::Timer(t) => {
                assert_eq!((t.clock, t.ticks, t.total), (1, 2, 9));
                assert_eq!(t.interval, Duration::from_millis(3));
                assert!((95.0..=100.0).contains(&secs_left(t.next)));
            }
            k => panic!("{k:?}"),
        }
        let items = |fd| match &file(fd).borrow().kind {
            Kind::Epoll(e) => e.items.clone(),
            k => panic!("{k:?}"),
        };
        let inner = items(ep);
        // The closed eventfd's item is gone; the rest keep their order and state.
        let fds: Vec<i32> = inner.iter().map(|it| it.fd).collect();
        assert_eq!(fds, [efd, tfd, dup]);
        for it in &inner {
            assert!(Rc::ptr_eq(&it.file.upgrade().unwrap(), &file(it.fd)));
            assert_eq!(it.data, it.fd as u64 * 10);
        }
        assert_eq!(inner[0].events, (EPOLLIN | EPOLLET) as u32);
        assert_eq!((inner[0].seen, inner[2].disarmed), (Some((4, 5)), true));
        let nested = items(outer);
        assert!(Rc::ptr_eq(&nested[0].file.upgrade().unwrap(), &file(ep)));
    }
}
