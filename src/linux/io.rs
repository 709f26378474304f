//! Data through descriptors: read/write and their vector and positional forms,
//! lseek, dup, fcntl, ioctl, sendfile, splice/tee/vmsplice, fallocate,
//! close_range, process_vm_readv/writev.

use super::abi::siginfo;
use super::abi::Out;
use super::fd::{self, flags::*, FileRef, Kind, OpenFile, PipeEnd, PIPE_CAPACITY};
use super::{signal, thread, Args, Errno, SysResult, UID};
use crate::machine::Machine;

/// Largest single transfer, as Linux's MAX_RW_COUNT.
const MAX_RW: u64 = 0x7fff_f000;

/// Reads from `fd` straight into guest memory at `[addr, addr+len)`.
fn read_into(m: &mut Machine, fd: i32, addr: u64, len: u64, off: Option<u64>) -> SysResult {
    let f = m.os.fds.get(fd)?;
    let len = len.min(MAX_RW);
    let buf = m.mem.slice_mut(addr, len).ok_or(Errno::EFAULT)?;
    let mut f = f.borrow_mut();
    let n = match off {
        Some(off) => f.pread(buf, off)?,
        None => f.read(buf)?,
    };
    if m.mem.has_code(addr, addr + n as u64) {
        m.code.invalidate(&mut m.mem, addr, addr + n as u64);
    }
    Ok(n as u64)
}

fn write_from(m: &mut Machine, fd: i32, addr: u64, len: u64, off: Option<u64>) -> SysResult {
    let f = m.os.fds.get(fd)?;
    let data = m.mem.slice(addr, len.min(MAX_RW)).ok_or(Errno::EFAULT)?;
    let mut f = f.borrow_mut();
    let n = match off {
        Some(off) => f.pwrite(data, off)?,
        None => f.write(data)?,
    };
    Ok(n as u64)
}

/// Runs a transfer on the fd in argument 0; for a blocking pipe or socket that
/// cannot move data yet, parks the thread and retries later; EPIPE also raises
/// SIGPIPE.
fn transfer(m: &mut Machine, a: &Args, op: impl FnOnce(&mut Machine) -> SysResult) -> SysResult {
    let file = m.os.fds.get(a.int(0))?;
    if !file.borrow().is_pipe() {
        return op(m);
    }
    let nonblocking = file.borrow().flags & O_NONBLOCK != 0;
    let r = op(m);
    match r {
        Err(Errno::EAGAIN) if !nonblocking => {
            // A timer read waits for the next expiry, a network socket for the
            // next look at the host; the rest for another thread.
            let (expiry, signals) = match &file.borrow().kind {
                Kind::Timer(t) => (t.next_expiry(), false),
                Kind::Net(_) => (Some(super::net::next_look()), false),
                Kind::Signal(_) => (None, true),
                _ => (None, false),
            };
            thread::block_and_retry_until(m, a, expiry, signals)
        }
        Err(Errno::EPIPE) => {
            let info = siginfo::kill(signal::SIGPIPE, 0, m.os.pid as u32, UID as u32);
            signal::send(m, info);
            r
        }
        _ => {
            thread::wake_io(m);
            r
        }
    }
}

/// A read or write of `len` bytes at a guest address, at a file offset or not.
type Transfer = fn(&mut Machine, i32, u64, u64, Option<u64>) -> SysResult;

pub fn read(m: &mut Machine, a: &Args) -> SysResult {
    let signalfd = matches!(m.os.fds.get(a.int(0))?.borrow().kind, Kind::Signal(_));
    let op = if signalfd {
        super::event::signalfd_read
    } else {
        read_into
    };
    transfer(m, a, |m| op(m, a.int(0), a.addr(1), a.u(2), None))
}

pub fn write(m: &mut Machine, a: &Args) -> SysResult {
    transfer(m, a, |m| write_from(m, a.int(0), a.addr(1), a.u(2), None))
}

/// pipe2(fds, flags): an in-process pipe.
pub fn pipe2(m: &mut Machine, a: &Args) -> SysResult {
    let flags = a.u(1) as u32;
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let cloexec = flags & O_CLOEXEC != 0;
    let status = flags & O_NONBLOCK;
    let (r, w) = PipeEnd::pair();
    let read_end = OpenFile::new(Kind::Pipe(r), "pipe:[0]".into(), status);
    let write_end = OpenFile::new(Kind::Pipe(w), "pipe:[0]".into(), status | O_WRONLY);
    insert_pair(m, [read_end, write_end], cloexec, a.addr(0))
}

/// Installs two new descriptions (`pipe2`, `socketpair`) and writes their
/// descriptors as `int[2]` at `addr`; on any failure neither stays open.
pub(super) fn insert_pair(
    m: &mut Machine,
    files: [FileRef; 2],
    cloexec: bool,
    addr: u64,
) -> SysResult {
    let [x, y] = files;
    let fx = m.os.fds.insert(x, cloexec)?;
    let fy = match m.os.fds.insert(y, cloexec) {
        Ok(fd) => fd,
        Err(e) => {
            let _ = m.os.fds.close(fx);
            return Err(e);
        }
    };
    let fds = [fx.to_le_bytes(), fy.to_le_bytes()].concat();
    if let Err(e) = m.copy_out(addr, &fds) {
        let _ = m.os.fds.close(fx);
        let _ = m.os.fds.close(fy);
        return Err(e);
    }
    Ok(0)
}

pub fn pread64(m: &mut Machine, a: &Args) -> SysResult {
    let off = u64::try_from(a.u(3) as i64).map_err(|_| Errno::EINVAL)?;
    read_into(m, a.int(0), a.addr(1), a.u(2), Some(off))
}

pub fn pwrite64(m: &mut Machine, a: &Args) -> SysResult {
    let off = u64::try_from(a.u(3) as i64).map_err(|_| Errno::EINVAL)?;
    write_from(m, a.int(0), a.addr(1), a.u(2), Some(off))
}

/// readv/writev and their positional forms (at `off`): transfers buffer by buffer,
/// stopping at the first short transfer.
fn vectored(m: &mut Machine, a: &Args, op: Transfer, off: Option<u64>) -> SysResult {
    let iov = m.read_iovecs(a.addr(1), a.u(2))?;
    m.os.fds.get(a.int(0))?;
    let mut total = 0;
    for (base, len) in iov {
        if len == 0 {
            continue;
        }
        match op(m, a.int(0), base, len, off.map(|o| o + total)) {
            Ok(n) => {
                total += n;
                if n < len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}

pub fn readv(m: &mut Machine, a: &Args) -> SysResult {
    transfer(m, a, |m| vectored(m, a, read_into, None))
}

pub fn writev(m: &mut Machine, a: &Args) -> SysResult {
    transfer(m, a, |m| vectored(m, a, write_from, None))
}

/// `preadv`/`pwritev` (`flags`: false) and `preadv2`/`pwritev2`, whose offset -1
/// means the file position. The offset is argument 3 whole (riscv64 passes no high
/// half); the `RWF_*` flags change nothing here, unknown ones are EOPNOTSUPP.
pub fn positional_vectored(m: &mut Machine, a: &Args, write: bool, flags: bool) -> SysResult {
    const RWF_SUPPORTED: u64 = 0x1f;
    if flags && a.u(5) & !RWF_SUPPORTED != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let off = match a.u(3) as i64 {
        -1 if flags => None,
        off => Some(u64::try_from(off).map_err(|_| Errno::EINVAL)?),
    };
    let op: Transfer = if write { write_from } else { read_into };
    vectored(m, a, op, off)
}

pub fn lseek(m: &mut Machine, a: &Args) -> SysResult {
    m.os.fds
        .get(a.int(0))?
        .borrow_mut()
        .seek(a.u(1) as i64, a.int(2))
}

pub fn dup(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    Ok(m.os.fds.insert(f, false)? as u64)
}

pub fn dup3(m: &mut Machine, a: &Args) -> SysResult {
    let (old, new) = (a.int(0), a.int(1));
    if old == new || a.u(2) & !(O_CLOEXEC as u64) != 0 {
        return Err(Errno::EINVAL);
    }
    let f = m.os.fds.get(old)?;
    Ok(m.os.fds.insert_at(new, f, a.u(2) != 0)? as u64)
}

pub fn fcntl(m: &mut Machine, a: &Args) -> SysResult {
    const F_DUPFD: i32 = 0;
    const F_GETFD: i32 = 1;
    const F_SETFD: i32 = 2;
    const F_GETFL: i32 = 3;
    const F_SETFL: i32 = 4;
    const F_GETLK: i32 = 5;
    const F_SETLK: i32 = 6;
    const F_SETLKW: i32 = 7;
    const F_DUPFD_CLOEXEC: i32 = 1030;
    let fd = a.int(0);
    let file = m.os.fds.get(fd)?;
    match a.int(1) {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            let min = usize::try_from(a.int(2)).map_err(|_| Errno::EINVAL)?;
            Ok(m.os
                .fds
                .insert_from(min, file, a.int(1) == F_DUPFD_CLOEXEC)? as u64)
        }
        F_GETFD => Ok(m.os.fds.slot(fd)?.cloexec as u64),
        F_SETFD => {
            m.os.fds.slot_mut(fd)?.cloexec = a.u(2) & 1 != 0;
            Ok(0)
        }
        F_GETFL => Ok(file.borrow().flags as u64),
        F_SETFL => {
            let mut f = file.borrow_mut();
            let settable = O_APPEND | O_NONBLOCK;
            f.flags = (f.flags & !settable) | (a.u(2) as u32 & settable);
            Ok(0)
        }
        // One process: advisory locks always succeed; F_GETLK reports "unlocked".
        F_SETLK | F_SETLKW => Ok(0),
        F_GETLK => {
            let mut o = Out::new(2);
            o.u16(0, 2); // F_UNLCK
            m.copy_out(a.addr(2), &o.0)?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn ioctl(m: &mut Machine, a: &Args) -> SysResult {
    const TCGETS: u64 = 0x5401;
    // `struct termios2` (speeds at the end), which glibc 2.42's tcgetattr asks for.
    const TCGETS2: u64 = 0x802c_542a;
    const TIOCGWINSZ: u64 = 0x5413;
    const FIONBIO: u64 = 0x5421;
    const FIOCLEX: u64 = 0x5451;
    const FIONREAD: u64 = 0x541b;
    let fd = a.int(0);
    let file = m.os.fds.get(fd)?;
    match a.u(1) {
        FIOCLEX => {
            m.os.fds.slot_mut(fd)?.cloexec = true;
            Ok(0)
        }
        FIONBIO => {
            let on = m.read_u32(a.addr(2))? != 0;
            let mut f = file.borrow_mut();
            f.flags = if on {
                f.flags | O_NONBLOCK
            } else {
                f.flags & !O_NONBLOCK
            };
            Ok(0)
        }
        FIONREAD if matches!(file.borrow().kind, Kind::Unix(_) | Kind::Pipe(_)) => {
            let n = match &file.borrow().kind {
                Kind::Unix(s) => super::unix::pending(s),
                Kind::Pipe(end) => end.pipe.borrow().data.len(),
                _ => 0,
            };
            m.copy_out(a.addr(2), &(n as u32).to_le_bytes())?;
            Ok(0)
        }
        req @ (TCGETS | TCGETS2) if file.borrow().is_tty() => {
            // A cooked terminal: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD, ISIG|ICANON|ECHO...
            let mut o = Out::new(if req == TCGETS2 { 44 } else { 36 });
            o.u32(0, 0o2400).u32(4, 0o5).u32(8, 0o277).u32(12, 0o105073);
            o.bytes(
                17,
                &[3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22],
            );
            if req == TCGETS2 {
                o.u32(36, 38400).u32(40, 38400);
            }
            m.copy_out(a.addr(2), &o.0)?;
            Ok(0)
        }
        TIOCGWINSZ if file.borrow().is_tty() => {
            // WASI does not report the window size; answer the classic default.
            let mut o = Out::new(8);
            o.u16(0, 24).u16(2, 80);
            m.copy_out(a.addr(2), &o.0)?;
            Ok(0)
        }
        _ => Err(Errno::ENOTTY),
    }
}

pub fn sendfile(m: &mut Machine, a: &Args) -> SysResult {
    let (out_fd, in_fd, off_ptr, count) = (a.int(0), a.int(1), a.addr(2), a.u(3).min(MAX_RW));
    let input = m.os.fds.get(in_fd)?;
    let output = m.os.fds.get(out_fd)?;
    if matches!(input.borrow().kind, Kind::Dir { .. }) {
        return Err(Errno::EINVAL);
    }
    let mut buf = vec![0u8; count.min(1 << 20) as usize];
    let n = if off_ptr != 0 {
        let off = m.read_u64(off_ptr)?;
        let n = input.borrow_mut().pread(&mut buf, off)?;
        m.write_u64(off_ptr, off + n as u64)?;
        n
    } else {
        input.borrow_mut().read(&mut buf)?
    };
    let written = output.borrow_mut().write(&buf[..n])?;
    Ok(written as u64)
}

/// `readahead`: nothing to prefetch, but only regular files take it.
pub fn readahead(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    let f = f.borrow();
    match f.kind {
        Kind::File(_) | Kind::Mem(_) => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// `sync_file_range`: the host syncs; the arguments are checked as Linux does.
pub fn sync_file_range(m: &mut Machine, a: &Args) -> SysResult {
    if (a.u(1) as i64) < 0 || (a.u(2) as i64) < 0 || a.u(3) & !7 != 0 {
        return Err(Errno::EINVAL);
    }
    let f = m.os.fds.get(a.int(0))?;
    let f = f.borrow();
    if f.is_pipe() {
        return Err(Errno::ESPIPE);
    }
    Ok(0)
}

/// `fallocate`: mode 0 grows the file to cover the range, `FALLOC_FL_KEEP_SIZE`
/// alone changes nothing visible; hole punching and range shifts are EOPNOTSUPP.
pub fn fallocate(m: &mut Machine, a: &Args) -> SysResult {
    const FALLOC_FL_KEEP_SIZE: i32 = 1;
    let (mode, off, len) = (a.int(1), a.u(2) as i64, a.u(3) as i64);
    if off < 0 || len <= 0 {
        return Err(Errno::EINVAL);
    }
    let end = off.checked_add(len).ok_or(Errno::EFBIG)? as u64;
    let f = m.os.fds.get(a.int(0))?;
    let mut f = f.borrow_mut();
    if f.flags & O_ACCMODE == 0 {
        return Err(Errno::EBADF);
    }
    if mode & !FALLOC_FL_KEEP_SIZE != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let keep = mode != 0;
    match &mut f.kind {
        Kind::File(file) => {
            if !keep && file.metadata()?.len() < end {
                file.set_len(end)?;
            }
            Ok(0)
        }
        Kind::Mem(mf) => {
            if !keep && (mf.data.len() as u64) < end {
                if end > super::event::MEMFD_MAX {
                    return Err(Errno::EFBIG);
                }
                let end = end as usize;
                mf.data
                    .try_reserve(end - mf.data.len())
                    .map_err(|_| Errno::ENOSPC)?;
                mf.data.resize(end, 0);
            }
            Ok(0)
        }
        Kind::Pipe(_) | Kind::Fifo { .. } => Err(Errno::ESPIPE),
        Kind::Dir { .. } => Err(Errno::EISDIR),
        _ => Err(Errno::ENODEV),
    }
}

/// `close_range`: closes (or, with `CLOSE_RANGE_CLOEXEC`, marks close-on-exec)
/// every open descriptor in `[first, last]`. `CLOSE_RANGE_UNSHARE` changes nothing:
/// the table is never shared with another process.
pub fn close_range(m: &mut Machine, a: &Args) -> SysResult {
    const CLOSE_RANGE_UNSHARE: u64 = 2;
    const CLOSE_RANGE_CLOEXEC: u64 = 4;
    let (first, last, how) = (a.u(0) as u32, a.u(1) as u32, a.u(2));
    if how & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(Errno::EINVAL);
    }
    let open: Vec<i32> = m.os.fds.iter().map(|(fd, _)| fd).collect();
    for fd in open
        .into_iter()
        .filter(|&fd| (first..=last).contains(&(fd as u32)))
    {
        if how & CLOSE_RANGE_CLOEXEC != 0 {
            m.os.fds.slot_mut(fd)?.cloexec = true;
        } else {
            m.os.fds.close(fd)?;
        }
    }
    Ok(0)
}

/// The pipe behind `fd` and whether `fd` is its write end, if it is a pipe.
fn pipe_end(m: &Machine, fd: i32) -> Result<Option<(fd::SharedPipe, bool)>, Errno> {
    let f = m.os.fds.get(fd)?;
    let f = f.borrow();
    Ok(match &f.kind {
        Kind::Pipe(end) => Some((end.pipe.clone(), end.write)),
        _ => None,
    })
}

const SPLICE_F_NONBLOCK: u64 = 2;

/// `splice(fd_in, off_in, fd_out, off_out, len, flags)`: moves up to `len` bytes
/// (at most 64 KiB a call) between a pipe and another descriptor through a buffer.
/// A pipe end takes no offset (ESPIPE); an empty pipe with writers waits, unless
/// `SPLICE_F_NONBLOCK`.
pub fn splice(m: &mut Machine, a: &Args) -> SysResult {
    let (fd_in, off_in, fd_out, off_out) = (a.int(0), a.addr(1), a.int(2), a.addr(3));
    let (pipe_in, pipe_out) = (
        pipe_end(m, fd_in)?.is_some(),
        pipe_end(m, fd_out)?.is_some(),
    );
    if !pipe_in && !pipe_out {
        return Err(Errno::EINVAL);
    }
    if (pipe_in && off_in != 0) || (pipe_out && off_out != 0) {
        return Err(Errno::ESPIPE);
    }
    let len = a.u(4).min(PIPE_CAPACITY as u64) as usize;
    let nonblocking = a.u(5) & SPLICE_F_NONBLOCK != 0;
    let copy = |m: &mut Machine| -> SysResult {
        let input = m.os.fds.get(fd_in)?;
        let output = m.os.fds.get(fd_out)?;
        let mut buf = vec![0u8; len];
        let n = match off_in {
            0 => input.borrow_mut().read(&mut buf)?,
            ptr => {
                let off = m.read_u64(ptr)?;
                let n = input.borrow_mut().pread(&mut buf, off)?;
                m.write_u64(ptr, off + n as u64)?;
                n
            }
        };
        let written = match off_out {
            0 => output.borrow_mut().write(&buf[..n])?,
            ptr => {
                let off = m.read_u64(ptr)?;
                let w = output.borrow_mut().pwrite(&buf[..n], off)?;
                m.write_u64(ptr, off + w as u64)?;
                w
            }
        };
        Ok(written as u64)
    };
    if nonblocking {
        copy(m)
    } else {
        transfer(m, a, copy)
    }
}

/// `tee(fd_in, fd_out, len, flags)`: duplicates pipe data into another pipe.
pub fn tee(m: &mut Machine, a: &Args) -> SysResult {
    let (Some((from, false)), Some((to, true))) = (pipe_end(m, a.int(0))?, pipe_end(m, a.int(1))?)
    else {
        return Err(Errno::EINVAL);
    };
    let len = a.u(2).min(PIPE_CAPACITY as u64) as usize;
    let copy = |m: &mut Machine| {
        let n = fd::tee(&from, &to, len)?;
        thread::wake_io(m);
        Ok(n as u64)
    };
    if a.u(3) & SPLICE_F_NONBLOCK != 0 {
        return copy(m);
    }
    transfer(m, a, copy)
}

/// `vmsplice(fd, iov, nr_segs, flags)`: on a pipe's write end the buffers are
/// written into it, on its read end read out of it (as `writev`/`readv`).
pub fn vmsplice(m: &mut Machine, a: &Args) -> SysResult {
    let (_, write) = pipe_end(m, a.int(0))?.ok_or(Errno::EBADF)?;
    let op: Transfer = if write { write_from } else { read_into };
    if a.u(3) & SPLICE_F_NONBLOCK != 0 {
        return vectored(m, a, op, None);
    }
    transfer(m, a, |m| vectored(m, a, op, None))
}

/// `process_vm_readv` (`write`: false) and `process_vm_writev`: copies between
/// iovec lists of the calling process. Other processes' memory is not in the
/// window while they wait, so they answer EPERM.
pub fn process_vm(m: &mut Machine, a: &Args, write: bool) -> SysResult {
    if a.u(5) != 0 {
        return Err(Errno::EINVAL);
    }
    let pid = a.u(0);
    if pid != m.os.pid {
        let known = m.procs.others.iter().any(|p| p.os.pid == pid);
        return Err(if known { Errno::EPERM } else { Errno::ESRCH });
    }
    let local = m.read_iovecs(a.addr(1), a.u(2))?;
    let remote = m.read_iovecs(a.addr(3), a.u(4))?;
    let (from, to) = if write {
        (local, remote)
    } else {
        (remote, local)
    };
    // Gather what can be read, up to the first fault, then scatter it.
    let (mut data, mut fault) = (Vec::new(), false);
    for (base, len) in from {
        let len = len.min(MAX_RW - data.len() as u64);
        match m.mem.slice(base, len) {
            Some(bytes) => data.extend_from_slice(bytes),
            None => {
                fault = true;
                break;
            }
        }
    }
    let mut done = 0usize;
    for (base, len) in to {
        let n = (len as usize).min(data.len() - done);
        if n == 0 {
            break;
        }
        if m.copy_out(base, &data[done..done + n]).is_err() {
            fault = true;
            break;
        }
        done += n;
    }
    if done == 0 && fault {
        return Err(Errno::EFAULT);
    }
    Ok(done as u64)
}
