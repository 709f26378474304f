//! The guest's file descriptor table and the open-file objects behind it.
//!
//! A guest fd names an [`OpenFile`] shared between `dup`ed descriptors (so they share
//! the offset and status flags, as on Linux). Host files are `std::fs::File`s (WASI
//! descriptors in the component); `/dev/null` and friends and generated `/proc`
//! files are emulated, and so are pipes; eventfds, timerfds, signalfds, memfds
//! and epoll instances keep their state here too (their calls are in `event.rs`
//! and `poll.rs`); network sockets are `net.rs`'s, unix sockets and the FIFO
//! registry `unix.rs`'s.

use super::Errno;
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::rc::Rc;

/// Most descriptors a guest may have open.
pub const MAX_FDS: usize = 1024;

/// `O_*` flag values (asm-generic).
pub mod flags {
    pub const O_ACCMODE: u32 = 3;
    pub const O_WRONLY: u32 = 1;
    pub const O_RDWR: u32 = 2;
    pub const O_CREAT: u32 = 0o100;
    pub const O_EXCL: u32 = 0o200;
    pub const O_TRUNC: u32 = 0o1000;
    pub const O_APPEND: u32 = 0o2000;
    pub const O_NONBLOCK: u32 = 0o4000;
    pub const O_DIRECTORY: u32 = 0o200000;
    pub const O_NOFOLLOW: u32 = 0o400000;
    pub const O_CLOEXEC: u32 = 0o2000000;
    pub const O_PATH: u32 = 0o10000000;
    pub const O_TMPFILE: u32 = 0o20000000;
}

/// What an open file is.
#[derive(Debug)]
pub enum Kind {
    /// The host's standard input.
    Stdin,
    /// The host's standard output.
    Stdout,
    /// The host's standard error.
    Stderr,
    /// A host file.
    File(File),
    /// A directory (listed on demand).
    Dir {
        /// Entries `(name, d_type, ino)` read at the first `getdents64`.
        entries: Option<Vec<(String, u8, u64)>>,
        /// Next entry index.
        pos: usize,
    },
    /// `/dev/null`.
    Null,
    /// `/dev/zero`.
    Zero,
    /// `/dev/full`.
    Full,
    /// `/dev/random`, `/dev/urandom`.
    Random,
    /// Generated contents (`/proc` files).
    Bytes(Vec<u8>, u64),
    /// One end of a pipe.
    Pipe(PipeEnd),
    /// A named FIFO opened for reading and writing: both ends of its pipe.
    Fifo {
        /// The read end.
        rx: PipeEnd,
        /// The write end.
        tx: PipeEnd,
    },
    /// `eventfd2`.
    Event(super::event::EventFd),
    /// `timerfd_create`.
    Timer(super::event::TimerFd),
    /// `signalfd4`: the signals it reads.
    Signal(u64),
    /// `memfd_create`: an anonymous file in memory.
    Mem(super::event::MemFile),
    /// `epoll_create1`.
    Epoll(super::poll::Epoll),
    /// An `AF_INET`/`AF_INET6` socket (`net.rs`).
    Net(super::net::Socket),
    /// An `AF_UNIX` socket (`unix.rs`).
    Unix(super::unix::Sock),
    /// Standard output or error kept in memory for an embedder ([`MemoryStdio`]).
    Sink(Sink),
}

/// Output kept for an embedder to take.
pub type Sink = Rc<RefCell<Vec<u8>>>;

/// Most bytes a [`Sink`] keeps before writes fail with ENOSPC, so that a guest that
/// writes forever cannot make the emulator allocate without bound.
pub const SINK_LIMIT: usize = 256 << 20;

/// Standard streams in memory instead of the host's, for embedders (`mvvm:vm/machine`
/// with `options.stdin`): the guest reads `stdin` then end-of-file, and what it writes
/// to fds 1 and 2 waits in `stdout` and `stderr`.
#[derive(Clone, Debug, Default)]
pub struct MemoryStdio {
    /// Everything standard input holds (reopening `/dev/stdin` starts over, as for a
    /// redirected file).
    pub stdin: Vec<u8>,
    /// What the guest wrote to standard output and nobody took yet.
    pub stdout: Sink,
    /// The same for standard error.
    pub stderr: Sink,
}

/// Bytes a pipe holds before writers have to wait (Linux's default pipe size).
pub const PIPE_CAPACITY: usize = 65536;

/// The buffer shared by the two ends of a pipe.
#[derive(Debug, Default)]
pub struct Pipe {
    pub(crate) data: std::collections::VecDeque<u8>,
    pub(crate) readers: usize,
    pub(crate) writers: usize,
    /// Bumped when data arrives or the write side closes (edge-triggered epoll
    /// reports readers again), and when data leaves or the read side closes.
    pub(crate) wrote: u64,
    pub(crate) drained: u64,
    /// The inode number `fstat` shows: distinct per pipe, as on Linux's pipefs, so
    /// that programs comparing two descriptors (`diff <(..) <(..)`) see two files.
    pub(crate) ino: u64,
}

/// A fresh inode number for an emulated object ([`Pipe::ino`]).
pub fn next_ino() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1 << 20);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A pipe's buffer, shared by its ends.
pub type SharedPipe = Rc<RefCell<Pipe>>;

/// A read or write end of a pipe; dropping the last reference to an end closes it.
#[derive(Debug)]
pub struct PipeEnd {
    pub(crate) pipe: Rc<RefCell<Pipe>>,
    pub(crate) write: bool,
}

impl PipeEnd {
    /// A new pipe: `(read end, write end)`.
    pub fn pair() -> (PipeEnd, PipeEnd) {
        let pipe = Rc::new(RefCell::new(Pipe {
            readers: 1,
            writers: 1,
            ino: next_ino(),
            ..Pipe::default()
        }));
        (
            PipeEnd {
                pipe: pipe.clone(),
                write: false,
            },
            PipeEnd { pipe, write: true },
        )
    }

    /// Readiness as Linux's `pipe_poll` gives it for this end.
    pub fn poll(&self) -> u32 {
        use super::poll::bits::*;
        let p = self.pipe.borrow();
        if self.write {
            let mut r = if p.data.len() < PIPE_CAPACITY {
                POLLOUT | POLLWRNORM
            } else {
                0
            };
            if p.readers == 0 {
                r |= POLLERR;
            }
            r
        } else {
            let mut r = if p.data.is_empty() {
                0
            } else {
                POLLIN | POLLRDNORM
            };
            if p.writers == 0 {
                r |= POLLHUP;
            }
            r
        }
    }

    /// Change counters `(input side, output side)` for edge-triggered epoll.
    pub fn generations(&self) -> (u64, u64) {
        let p = self.pipe.borrow();
        (p.wrote, p.drained)
    }

    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        let mut p = self.pipe.borrow_mut();
        if p.data.is_empty() {
            // EOF once every writer is gone; otherwise the caller waits.
            return if p.writers == 0 || buf.is_empty() {
                Ok(0)
            } else {
                Err(Errno::EAGAIN)
            };
        }
        let n = buf.len().min(p.data.len());
        for (dst, src) in buf.iter_mut().zip(p.data.drain(..n)) {
            *dst = src;
        }
        p.drained += 1;
        Ok(n)
    }

    fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        let mut p = self.pipe.borrow_mut();
        if p.readers == 0 {
            return Err(Errno::EPIPE);
        }
        let room = PIPE_CAPACITY - p.data.len();
        if room == 0 && !data.is_empty() {
            return Err(Errno::EAGAIN);
        }
        let n = data.len().min(room);
        p.data.extend(&data[..n]);
        p.wrote += 1;
        Ok(n)
    }
}

/// `tee`: copies up to `len` bytes from the front of pipe `from` into pipe `to`,
/// leaving them to be read from `from` too.
pub fn tee(from: &SharedPipe, to: &SharedPipe, len: usize) -> Result<usize, Errno> {
    if Rc::ptr_eq(from, to) {
        return Err(Errno::EINVAL);
    }
    let from = from.borrow();
    if from.data.is_empty() {
        return if from.writers == 0 {
            Ok(0)
        } else {
            Err(Errno::EAGAIN)
        };
    }
    let mut to = to.borrow_mut();
    if to.readers == 0 {
        return Err(Errno::EPIPE);
    }
    let n = len
        .min(from.data.len())
        .min(PIPE_CAPACITY.saturating_sub(to.data.len()));
    if n == 0 {
        return Err(Errno::EAGAIN);
    }
    to.data.extend(from.data.iter().take(n));
    to.wrote += 1;
    Ok(n)
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        let mut p = self.pipe.borrow_mut();
        if self.write {
            p.writers -= 1;
        } else {
            p.readers -= 1;
        }
        p.wrote += 1;
        p.drained += 1;
    }
}

/// An open file description.
#[derive(Debug)]
pub struct OpenFile {
    /// What it is.
    pub kind: Kind,
    /// Guest path it was opened with (absolute).
    pub path: String,
    /// Access mode and status flags (`O_APPEND`, `O_NONBLOCK`, ...).
    pub flags: u32,
}

/// Writes `data` to the host's standard output, unbuffered.
fn write_stdout(data: &[u8]) -> Result<usize, Errno> {
    let mut out = std::io::stdout().lock();
    out.write_all(data)?;
    out.flush()?;
    Ok(data.len())
}

/// Shared handle to an open file description.
pub type FileRef = Rc<RefCell<OpenFile>>;

impl OpenFile {
    /// A new description.
    pub fn new(kind: Kind, path: String, flags: u32) -> FileRef {
        Rc::new(RefCell::new(OpenFile { kind, path, flags }))
    }

    fn readable(&self) -> bool {
        self.flags & flags::O_ACCMODE != flags::O_WRONLY
    }

    fn writable(&self) -> bool {
        self.flags & flags::O_ACCMODE != 0
    }

    /// Reads into `buf`.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match &mut self.kind {
            Kind::Stdin => Ok(std::io::stdin().read(buf)?),
            Kind::File(f) => Ok(f.read(buf)?),
            Kind::Dir { .. } => Err(Errno::EISDIR),
            Kind::Null => Ok(0),
            Kind::Zero | Kind::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Kind::Random => {
                crate::linux::system::random_fill(buf);
                Ok(buf.len())
            }
            Kind::Bytes(data, pos) => {
                let start = (*pos).min(data.len() as u64) as usize;
                let n = buf.len().min(data.len() - start);
                buf[..n].copy_from_slice(&data[start..start + n]);
                *pos += n as u64;
                Ok(n)
            }
            Kind::Pipe(end) if !end.write => end.read(buf),
            Kind::Fifo { rx, .. } => rx.read(buf),
            Kind::Unix(s) => super::unix::read(s, buf),
            Kind::Net(s) => super::net::read(s, buf),
            Kind::Event(e) => e.read(buf),
            Kind::Timer(t) => t.read(buf),
            Kind::Mem(f) => Ok(f.read(buf)),
            Kind::Stdout | Kind::Stderr | Kind::Pipe(_) | Kind::Sink(_) => Err(Errno::EBADF),
            Kind::Signal(_) | Kind::Epoll(_) => Err(Errno::EINVAL),
        }
    }

    /// Writes `data`.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        match &mut self.kind {
            Kind::Stdout => write_stdout(data),
            Kind::Stderr => {
                std::io::stderr().write_all(data)?;
                Ok(data.len())
            }
            Kind::File(f) => Ok(f.write(data)?),
            Kind::Null | Kind::Zero | Kind::Random => Ok(data.len()),
            Kind::Full => Err(Errno::ENOSPC),
            Kind::Dir { .. } => Err(Errno::EISDIR),
            Kind::Pipe(end) if end.write => end.write(data),
            Kind::Fifo { tx, .. } => tx.write(data),
            Kind::Unix(s) => super::unix::write(s, data),
            Kind::Net(s) => super::net::write(s, data),
            Kind::Event(e) => e.write(data),
            Kind::Mem(f) => f.write(data, self.flags & flags::O_APPEND != 0),
            Kind::Sink(sink) => {
                let mut sink = sink.borrow_mut();
                if sink.len().saturating_add(data.len()) > SINK_LIMIT {
                    return Err(Errno::ENOSPC);
                }
                sink.extend_from_slice(data);
                Ok(data.len())
            }
            // A terminal opened for writing (`/dev/tty`): what is written appears
            // where the program's output does, on the same terminal.
            Kind::Stdin if super::fs::is_tty(&Kind::Stdin) && super::fs::is_tty(&Kind::Stdout) => {
                write_stdout(data)
            }
            Kind::Stdin | Kind::Bytes(..) | Kind::Pipe(_) => Err(Errno::EBADF),
            Kind::Timer(_) | Kind::Signal(_) | Kind::Epoll(_) => Err(Errno::EINVAL),
        }
    }

    /// Whether reads and writes may have to wait (pipes, sockets, event counters,
    /// timers): such calls park the thread instead of failing with EAGAIN.
    pub fn is_pipe(&self) -> bool {
        matches!(
            self.kind,
            Kind::Pipe(_)
                | Kind::Fifo { .. }
                | Kind::Net(_)
                | Kind::Unix(_)
                | Kind::Event(_)
                | Kind::Timer(_)
                | Kind::Signal(_)
        )
    }

    /// Repositions the offset; `whence` as in `lseek`.
    pub fn seek(&mut self, off: i64, whence: i32) -> Result<u64, Errno> {
        match &mut self.kind {
            Kind::File(f) => {
                let pos = match whence {
                    0 => SeekFrom::Start(u64::try_from(off).map_err(|_| Errno::EINVAL)?),
                    1 => SeekFrom::Current(off),
                    2 => SeekFrom::End(off),
                    _ => return Err(Errno::EINVAL),
                };
                Ok(f.seek(pos)?)
            }
            Kind::Bytes(data, pos) => {
                let base = match whence {
                    0 => 0,
                    1 => *pos as i64,
                    2 => data.len() as i64,
                    _ => return Err(Errno::EINVAL),
                };
                let new = base
                    .checked_add(off)
                    .filter(|&p| p >= 0)
                    .ok_or(Errno::EINVAL)?;
                *pos = new as u64;
                Ok(*pos)
            }
            Kind::Mem(f) => f.seek(off, whence),
            Kind::Dir { pos, entries } if whence == 0 && off == 0 => {
                *pos = 0;
                *entries = None;
                Ok(0)
            }
            Kind::Null | Kind::Zero | Kind::Full | Kind::Random => Ok(0),
            _ => Err(Errno::ESPIPE),
        }
    }

    /// Reads at `off` without moving the file offset.
    pub fn pread(&mut self, buf: &mut [u8], off: u64) -> Result<usize, Errno> {
        let saved = self.seek(0, 1)?;
        self.seek(off as i64, 0)?;
        let r = self.read(buf);
        self.seek(saved as i64, 0)?;
        r
    }

    /// Writes at `off` without moving the file offset.
    pub fn pwrite(&mut self, data: &[u8], off: u64) -> Result<usize, Errno> {
        let saved = self.seek(0, 1)?;
        self.seek(off as i64, 0)?;
        let r = self.write(data);
        self.seek(saved as i64, 0)?;
        r
    }

    /// Whether the host stream is a terminal.
    pub fn is_tty(&self) -> bool {
        super::fs::is_tty(&self.kind)
    }
}

/// One descriptor slot.
#[derive(Debug, Clone)]
pub struct Fd {
    /// The open file description.
    pub file: FileRef,
    /// `FD_CLOEXEC`.
    pub cloexec: bool,
}

/// The descriptor table (a child process gets a copy that shares the open file
/// descriptions).
#[derive(Debug, Default, Clone)]
pub struct FdTable {
    slots: Vec<Option<Fd>>,
}

impl FdTable {
    /// A table with fds 0, 1, 2 bound to the host's standard streams.
    pub fn with_stdio() -> FdTable {
        let mut t = FdTable::default();
        for (kind, name, fl) in [
            (Kind::Stdin, "/dev/stdin", 0),
            (Kind::Stdout, "/dev/stdout", 1),
            (Kind::Stderr, "/dev/stderr", 1),
        ] {
            t.slots.push(Some(Fd {
                file: OpenFile::new(kind, name.into(), fl),
                cloexec: false,
            }));
        }
        t
    }

    /// Binds fds 0, 1 and 2 to `stdio`'s streams instead of the host's.
    pub fn use_memory_stdio(&mut self, stdio: &MemoryStdio) {
        let kinds = [
            (Kind::Bytes(stdio.stdin.clone(), 0), "/dev/stdin", 0),
            (Kind::Sink(stdio.stdout.clone()), "/dev/stdout", 1),
            (Kind::Sink(stdio.stderr.clone()), "/dev/stderr", 1),
        ];
        for (fd, (kind, name, fl)) in kinds.into_iter().enumerate() {
            let file = OpenFile::new(kind, name.into(), fl);
            // Fds 0-2 are always within MAX_FDS.
            let _ = self.insert_at(fd as i32, file, false);
        }
    }

    /// The open file behind `fd`.
    pub fn get(&self, fd: i32) -> Result<FileRef, Errno> {
        Ok(self.slot(fd)?.file.clone())
    }

    /// The slot for `fd`.
    pub fn slot(&self, fd: i32) -> Result<&Fd, Errno> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.slots.get(i)?.as_ref())
            .ok_or(Errno::EBADF)
    }

    /// Mutable slot for `fd`.
    pub fn slot_mut(&mut self, fd: i32) -> Result<&mut Fd, Errno> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.slots.get_mut(i)?.as_mut())
            .ok_or(Errno::EBADF)
    }

    /// Installs `file` at the lowest free descriptor `>= min`.
    pub fn insert_from(&mut self, min: usize, file: FileRef, cloexec: bool) -> Result<i32, Errno> {
        let idx = (min..MAX_FDS)
            .find(|&i| self.slots.get(i).is_none_or(Option::is_none))
            .ok_or(Errno::EMFILE)?;
        if idx >= self.slots.len() {
            self.slots.resize(idx + 1, None);
        }
        self.slots[idx] = Some(Fd { file, cloexec });
        Ok(idx as i32)
    }

    /// Installs `file` at the lowest free descriptor.
    pub fn insert(&mut self, file: FileRef, cloexec: bool) -> Result<i32, Errno> {
        self.insert_from(0, file, cloexec)
    }

    /// Installs `file` exactly at `fd`, closing what was there.
    pub fn insert_at(&mut self, fd: i32, file: FileRef, cloexec: bool) -> Result<i32, Errno> {
        let idx = usize::try_from(fd)
            .ok()
            .filter(|&i| i < MAX_FDS)
            .ok_or(Errno::EBADF)?;
        if idx >= self.slots.len() {
            self.slots.resize(idx + 1, None);
        }
        self.slots[idx] = Some(Fd { file, cloexec });
        Ok(fd)
    }

    /// Closes `fd`.
    pub fn close(&mut self, fd: i32) -> Result<(), Errno> {
        let idx = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
        self.slots
            .get_mut(idx)
            .and_then(Option::take)
            .map(|_| ())
            .ok_or(Errno::EBADF)
    }

    /// Closes the descriptors marked `FD_CLOEXEC` (`execve`).
    pub fn close_on_exec(&mut self) {
        for slot in self.slots.iter_mut() {
            if slot.as_ref().is_some_and(|fd| fd.cloexec) {
                *slot = None;
            }
        }
    }

    /// Open descriptors in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (i32, &Fd)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i as i32, s.as_ref()?)))
    }
}
