//! `AF_UNIX` sockets (named, abstract, unnamed and `socketpair`; stream,
//! datagram and seqpacket; `SCM_RIGHTS` descriptor passing) and named FIFOs.
//!
//! Every guest process lives in this one emulator instance and the host (WASI)
//! has neither unix sockets nor FIFOs, so both are emulated objects: a socket
//! is an [`Endpoint`] holding the messages sent to it, and names are found in
//! the instance-wide [`Registry`] (in `m.procs`, shared by all processes), keyed
//! by absolute guest path or by abstract name. A bound path and a FIFO get an
//! empty host file as a placeholder, so that `ls`, `stat`, `unlink` and `rename`
//! see them; `stat` of a registered path reports `S_IFSOCK`/`S_IFIFO`, `unlink`
//! forgets the name (connections keep working; new connects fail as on Linux).
//!
//! A placeholder left by an earlier run (or made by another instance) is an
//! ordinary empty file here: `bind` fails with EADDRINUSE and `connect` with
//! ECONNREFUSED, as Linux answers for a stale socket file, and opening it opens
//! the empty file; `stat` shows a regular file.
//!
//! Connected peers point at each other weakly: closing the last descriptor of a
//! socket drops its endpoint, which is what its peer sees as the other end gone
//! (EOF, EPIPE). Blocking calls park the thread and run again when descriptor
//! I/O happens anywhere ([`thread::wake_io`]), as pipes do.
//!
//! Differences from Linux: a blocking stream send may be short (as pipe writes
//! are here) instead of waiting to send everything; closing a socket with unread
//! input does not give its peer ECONNRESET; `SCM_CREDENTIALS` sent are not
//! checked, and received ones carry the sender's process id and the one uid;
//! `getdents` shows placeholders as regular files (`stat` knows better); a
//! FIFO opener interrupted by a signal while waiting keeps counting as a reader
//! or writer; descriptors in flight that reach themselves (a socket sent over
//! itself) are never freed, as there is no garbage collector for them.

use super::abi::siginfo;
use super::fd::{flags::*, next_ino, FileRef, Kind, OpenFile, Pipe, PipeEnd, SharedPipe};
use super::net::{read_msghdr, sock_flags, write_sockaddr, MsgHdr, MAX_CHUNK};
use super::poll::bits::*;
use super::{signal, thread, Args, Errno, SysResult, UID};
use crate::machine::Machine;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};

const AF_UNIX: u16 = 1;
const SOCK_STREAM: u32 = 1;
const SOCK_DGRAM: u32 = 2;
const SOCK_RAW: u32 = 3;
const SOCK_SEQPACKET: u32 = 5;
const SOCK_TYPE_MASK: u32 = 0xf;
const SOL_SOCKET: i32 = 1;
const SCM_RIGHTS: i32 = 1;
const SCM_CREDENTIALS: i32 = 2;

const SO_TYPE: i32 = 3;
const SO_ERROR: i32 = 4;
const SO_SNDBUF: i32 = 7;
const SO_RCVBUF: i32 = 8;
const SO_PASSCRED: i32 = 16;
const SO_PEERCRED: i32 = 17;
const SO_ACCEPTCONN: i32 = 30;
const SO_PROTOCOL: i32 = 38;
const SO_DOMAIN: i32 = 39;

const MSG_PEEK: u32 = 0x2;
const MSG_CTRUNC: u32 = 0x8;
const MSG_TRUNC: u32 = 0x20;
const MSG_DONTWAIT: u32 = 0x40;
const MSG_WAITALL: u32 = 0x100;
const MSG_NOSIGNAL: u32 = 0x4000;
const MSG_CMSG_CLOEXEC: u32 = 0x4000_0000;

/// Bytes a socket's receive queue holds before senders wait (Linux's default
/// socket buffer size).
const CAPACITY: usize = 212_992;
/// Most descriptors one message may carry (Linux's `SCM_MAX_FD`).
const SCM_MAX_FD: usize = 253;
/// Largest control buffer `sendmsg` reads (beyond: ENOBUFS, as `optmem_max`).
const CONTROL_MAX: u64 = 65536;
/// `sizeof(struct sockaddr_un)`.
const SUN_LEN_MAX: u64 = 110;
/// `sizeof(struct cmsghdr)`.
const CMSG_HDR: usize = 16;

const RCV_SHUTDOWN: u8 = 1;
const SEND_SHUTDOWN: u8 = 2;
const SHUTDOWN_MASK: u8 = 3;

const S_IFMT: u32 = 0o170000;
const S_IFIFO: u32 = 0o010000;
const S_IFCHR: u32 = 0o020000;
const S_IFBLK: u32 = 0o060000;
const S_IFREG: u32 = 0o100000;
const S_IFSOCK: u32 = 0o140000;

/// A socket name: an absolute guest path, or the bytes after the leading NUL of
/// an abstract address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Name {
    Path(String),
    Abstract(Vec<u8>),
}

/// Process credentials as `SO_PEERCRED` and `SCM_CREDENTIALS` give them.
#[derive(Clone, Copy, Debug)]
pub struct Cred {
    pid: u32,
    uid: u32,
    gid: u32,
}

impl Cred {
    fn of(m: &Machine) -> Cred {
        Cred {
            pid: m.os.pid as u32,
            uid: UID as u32,
            gid: UID as u32,
        }
    }

    fn bytes(self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&self.pid.to_le_bytes());
        b[4..8].copy_from_slice(&self.uid.to_le_bytes());
        b[8..].copy_from_slice(&self.gid.to_le_bytes());
        b
    }
}

/// One message in a receive queue (for streams, a chunk of the byte stream).
#[derive(Debug, Clone)]
struct Msg {
    data: Vec<u8>,
    /// The sender's address as `recvfrom` returns it (empty: unnamed).
    from: Vec<u8>,
    /// `SCM_RIGHTS` descriptions travelling with the message.
    fds: Vec<FileRef>,
    cred: Cred,
}

/// An `AF_UNIX` socket.
#[derive(Debug)]
pub struct Endpoint {
    ty: u32,
    /// Its address as `getsockname` returns it (empty: unnamed).
    addr: Vec<u8>,
    queue: VecDeque<Msg>,
    /// Bytes in `queue`.
    bytes: usize,
    /// The connected peer (a datagram socket's default destination).
    peer: Option<Weak<RefCell<Endpoint>>>,
    peer_addr: Vec<u8>,
    /// Connection-oriented and connected (it stays so after the peer closed).
    connected: bool,
    /// Listening: connections not yet accepted, and the backlog.
    backlog: Option<(VecDeque<Sock>, usize)>,
    /// `RCV_SHUTDOWN`/`SEND_SHUTDOWN`.
    shut: u8,
    cred: Cred,
    peer_cred: Option<Cred>,
    passcred: bool,
    /// Options read back as set: `(name, value)`.
    options: Vec<(i32, i32)>,
    /// Change counters (arrivals, departures from `queue`) for edge-triggered epoll.
    gens: (u64, u64),
    ino: u64,
}

/// A unix socket as descriptors share it.
pub type Sock = Rc<RefCell<Endpoint>>;

impl Endpoint {
    fn new(ty: u32, cred: Cred) -> Endpoint {
        Endpoint {
            ty,
            addr: Vec::new(),
            queue: VecDeque::new(),
            bytes: 0,
            peer: None,
            peer_addr: Vec::new(),
            connected: false,
            backlog: None,
            shut: 0,
            cred,
            peer_cred: None,
            passcred: false,
            options: Vec::new(),
            gens: (0, 0),
            ino: next_ino(),
        }
    }

    fn peer(&self) -> Option<Sock> {
        self.peer.as_ref()?.upgrade()
    }

    /// Shutdown bits, counting a closed peer of a connection as both ways shut
    /// (Linux sets its peer's `sk_shutdown` on release).
    fn shut(&self) -> u8 {
        let gone = self.ty != SOCK_DGRAM && self.connected && self.peer().is_none();
        if gone {
            SHUTDOWN_MASK
        } else {
            self.shut
        }
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        // The peer's input side changes (end of stream) for edge-triggered epoll.
        if let Some(p) = self.peer() {
            if let Ok(mut p) = p.try_borrow_mut() {
                p.gens.0 += 1;
            }
        }
    }
}

/// A named FIFO: its pipe, shared by everyone who opens it.
#[derive(Debug)]
pub struct Fifo {
    pipe: SharedPipe,
    /// Opens for reading and for writing so far: a waiting opener goes on once
    /// the other side's count moved (a partner came, even if it left again).
    opened: (u64, u64),
    /// Threads waiting in `open`: `(pid, tid, for writing, other side's count
    /// seen)`; each is counted among the pipe's readers or writers meanwhile.
    waiting: Vec<(u64, u64, bool, u64)>,
}

/// Socket names and FIFOs of the instance.
#[derive(Debug, Default)]
pub struct Registry {
    sockets: HashMap<Name, Weak<RefCell<Endpoint>>>,
    fifos: HashMap<String, Rc<RefCell<Fifo>>>,
    next_auto: u32,
}

/// The file type a registered path has (`S_IFSOCK`, `S_IFIFO`), if any.
pub fn file_type(m: &Machine, guest: &str) -> Option<u32> {
    let reg = &m.procs.unix;
    if reg.fifos.contains_key(guest) {
        Some(S_IFIFO)
    } else if reg.sockets.contains_key(&Name::Path(guest.to_string())) {
        Some(S_IFSOCK)
    } else {
        None
    }
}

/// `unlink` of `guest` succeeded: its name goes.
pub fn forget(m: &mut Machine, guest: &str) {
    m.procs.unix.fifos.remove(guest);
    m.procs.unix.sockets.remove(&Name::Path(guest.to_string()));
}

/// `rename` moved `from` to `to`: so does its name.
pub fn rename(m: &mut Machine, from: &str, to: &str) {
    forget(m, to);
    let reg = &mut m.procs.unix;
    if let Some(f) = reg.fifos.remove(from) {
        reg.fifos.insert(to.to_string(), f);
    }
    if let Some(s) = reg.sockets.remove(&Name::Path(from.to_string())) {
        reg.sockets.insert(Name::Path(to.to_string()), s);
    }
}

/// Whether `fd` is a unix socket (the dispatcher sends its calls here).
pub fn owns(m: &Machine, fd: i32) -> bool {
    m.os.fds
        .get(fd)
        .is_ok_and(|f| matches!(f.borrow().kind, Kind::Unix(_)))
}

fn sock_of(m: &Machine, fd: i32) -> Result<(Sock, u32), Errno> {
    let f = m.os.fds.get(fd)?;
    let f = f.borrow();
    match &f.kind {
        Kind::Unix(s) => Ok((s.clone(), f.flags)),
        _ => Err(Errno::ENOTSOCK),
    }
}

fn install(m: &mut Machine, s: Sock, status: u32, cloexec: bool) -> Result<i32, Errno> {
    m.os.fds.insert(description(s, status), cloexec)
}

/// An open file description of socket `s`.
fn description(s: Sock, status: u32) -> FileRef {
    let path = format!("socket:[{}]", s.borrow().ino);
    OpenFile::new(Kind::Unix(s), path, status | O_RDWR)
}

/// The socket type of a `socket`/`socketpair` type argument.
fn sock_type(ty: u32, protocol: i32) -> Result<u32, Errno> {
    let t = match ty & SOCK_TYPE_MASK {
        SOCK_STREAM => SOCK_STREAM,
        // Linux makes SOCK_RAW a datagram socket for AF_UNIX.
        SOCK_DGRAM | SOCK_RAW => SOCK_DGRAM,
        SOCK_SEQPACKET => SOCK_SEQPACKET,
        11.. => return Err(Errno::EINVAL),
        _ => return Err(Errno::ESOCKTNOSUPPORT),
    };
    if protocol != 0 && protocol != AF_UNIX as i32 {
        return Err(Errno::EPROTONOSUPPORT);
    }
    Ok(t)
}

/// socket(AF_UNIX, type, protocol).
pub fn socket(m: &mut Machine, a: &Args) -> SysResult {
    let ty = a.u(1) as u32;
    let (cloexec, status) = sock_flags(ty & !SOCK_TYPE_MASK)?;
    let ty = sock_type(ty, a.int(2))?;
    let s = Rc::new(RefCell::new(Endpoint::new(ty, Cred::of(m))));
    Ok(install(m, s, status, cloexec)? as u64)
}

/// socketpair(AF_UNIX, type, protocol, sv): two sockets connected to each other.
pub fn socketpair(m: &mut Machine, a: &Args) -> SysResult {
    if a.int(0) != AF_UNIX as i32 {
        return Err(Errno::EAFNOSUPPORT);
    }
    let ty = a.u(1) as u32;
    let (cloexec, status) = sock_flags(ty & !SOCK_TYPE_MASK)?;
    let ty = sock_type(ty, a.int(2))?;
    let cred = Cred::of(m);
    let x = Rc::new(RefCell::new(Endpoint::new(ty, cred)));
    let y = Rc::new(RefCell::new(Endpoint::new(ty, cred)));
    for (s, other) in [(&x, &y), (&y, &x)] {
        let mut e = s.borrow_mut();
        e.peer = Some(Rc::downgrade(other));
        e.connected = ty != SOCK_DGRAM;
        e.peer_cred = Some(cred);
    }
    let files = [description(x, status), description(y, status)];
    super::io::insert_pair(m, files, cloexec, a.addr(3))
}

/// A guest `sockaddr_un`.
enum Addr {
    /// Only the family: `bind` picks an abstract name.
    Auto,
    /// A name, and the address as `getsockname` will show it.
    Named(Name, Vec<u8>),
}

fn read_addr(m: &Machine, addr: u64, len: u64) -> Result<Addr, Errno> {
    if !(2..=SUN_LEN_MAX).contains(&len) {
        return Err(Errno::EINVAL);
    }
    let b = m.copy_in(addr, len)?;
    if u16::from_le_bytes([b[0], b[1]]) != AF_UNIX {
        return Err(Errno::EINVAL);
    }
    if len == 2 {
        return Ok(Addr::Auto);
    }
    if b[2] == 0 {
        return Ok(Addr::Named(Name::Abstract(b[3..].to_vec()), b));
    }
    let path = &b[2..];
    let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
    let text = std::str::from_utf8(&path[..end]).map_err(|_| Errno::EINVAL)?;
    let guest = m.resolve(super::fs::AT_FDCWD, text)?;
    let mut shown = b[..2 + end].to_vec();
    shown.push(0);
    Ok(Addr::Named(Name::Path(guest), shown))
}

/// The address of an unnamed socket.
fn unnamed() -> Vec<u8> {
    AF_UNIX.to_le_bytes().to_vec()
}

/// The socket bound to `name`; otherwise ECONNREFUSED, or ENOENT when no file
/// has the path.
fn find(m: &Machine, name: &Name) -> Result<Sock, Errno> {
    if let Some(s) = m.procs.unix.sockets.get(name).and_then(Weak::upgrade) {
        return Ok(s);
    }
    match name {
        Name::Abstract(_) => Err(Errno::ECONNREFUSED),
        Name::Path(p) => match std::fs::symlink_metadata(m.host_path(p)) {
            Ok(_) => Err(Errno::ECONNREFUSED),
            Err(e) => Err(e.into()),
        },
    }
}

/// An unused abstract name, as Linux's autobind picks them (five hex digits).
fn autoname(m: &mut Machine) -> Result<(Name, Vec<u8>), Errno> {
    let reg = &mut m.procs.unix;
    for _ in 0..=0xfffff {
        reg.next_auto = (reg.next_auto + 1) & 0xfffff;
        let hex = format!("{:05x}", reg.next_auto).into_bytes();
        let name = Name::Abstract(hex.clone());
        if reg.sockets.get(&name).is_none_or(|w| w.strong_count() == 0) {
            let shown = [&unnamed()[..], &[0], &hex].concat();
            return Ok((name, shown));
        }
    }
    Err(Errno::ENOSPC)
}

/// Creates the empty host file that stands for a socket or FIFO at `guest`.
fn placeholder(m: &Machine, guest: &str, mode: u32) -> Result<(), std::io::Error> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    super::fs::set_create_mode(&mut o, mode & 0o7777 & !m.os.umask);
    o.open(m.host_path(guest)).map(|_| ())
}

/// bind(fd, addr, addrlen).
pub fn bind(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let addr = read_addr(m, a.addr(1), a.u(2))?;
    if !s.borrow().addr.is_empty() {
        return Err(Errno::EINVAL);
    }
    let (name, shown) = match addr {
        Addr::Auto => autoname(m)?,
        Addr::Named(n, shown) => (n, shown),
    };
    match &name {
        Name::Abstract(_) => {
            if find(m, &name).is_ok() {
                return Err(Errno::EADDRINUSE);
            }
        }
        Name::Path(p) => placeholder(m, p, 0o777).map_err(|e| match Errno::from(e) {
            Errno::EEXIST => Errno::EADDRINUSE,
            e => e,
        })?,
    }
    m.procs.unix.sockets.insert(name, Rc::downgrade(&s));
    s.borrow_mut().addr = shown;
    Ok(0)
}

/// listen(fd, backlog).
pub fn listen(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    // A negative backlog is a large unsigned one: the maximum.
    let max = usize::try_from(a.int(1)).map_or(4096, |n| n.min(4096));
    let cred = Cred::of(m);
    let mut e = s.borrow_mut();
    if e.ty == SOCK_DGRAM {
        return Err(Errno::EOPNOTSUPP);
    }
    if e.connected || e.addr.is_empty() {
        return Err(Errno::EINVAL);
    }
    match &mut e.backlog {
        Some((_, m)) => *m = max,
        None => e.backlog = Some((VecDeque::new(), max)),
    }
    e.cred = cred;
    Ok(0)
}

/// connect(fd, addr, addrlen): a stream or seqpacket connect is queued at the
/// listener at once (data may flow before `accept`); a full backlog waits.
pub fn connect(m: &mut Machine, a: &Args) -> SysResult {
    let (s, fl) = sock_of(m, a.int(0))?;
    let (ty, connected, listening, own_addr) = {
        let e = s.borrow();
        (e.ty, e.connected, e.backlog.is_some(), e.addr.clone())
    };
    if ty == SOCK_DGRAM {
        return connect_dgram(m, a, &s);
    }
    let Addr::Named(name, _) = read_addr(m, a.addr(1), a.u(2))? else {
        return Err(Errno::EINVAL);
    };
    // Linux looks at the listener before at this socket's own state.
    let target = find(m, &name)?;
    let me = Cred::of(m);
    let server = {
        let mut t = target.try_borrow_mut().map_err(|_| Errno::ECONNREFUSED)?;
        if t.ty != ty {
            return Err(Errno::EPROTOTYPE);
        }
        let (addr, cred) = (t.addr.clone(), t.cred);
        let (queue, max) = t.backlog.as_mut().ok_or(Errno::ECONNREFUSED)?;
        if queue.len() > *max {
            drop(t);
            return if fl & O_NONBLOCK == 0 {
                park(m, a)
            } else {
                Err(Errno::EAGAIN)
            };
        }
        if connected {
            return Err(Errno::EISCONN);
        }
        if listening {
            return Err(Errno::EINVAL);
        }
        let mut e = Endpoint::new(ty, cred);
        e.addr = addr.clone();
        e.peer = Some(Rc::downgrade(&s));
        e.peer_addr = own_addr;
        e.connected = true;
        e.peer_cred = Some(me);
        let server = Rc::new(RefCell::new(e));
        queue.push_back(server.clone());
        t.gens.0 += 1;
        (server, addr, cred)
    };
    let mut e = s.borrow_mut();
    e.peer = Some(Rc::downgrade(&server.0));
    e.peer_addr = server.1;
    e.peer_cred = Some(server.2);
    e.connected = true;
    e.cred = me;
    drop(e);
    thread::wake_io(m);
    Ok(0)
}

/// A datagram socket's connect: sets (or with `AF_UNSPEC` clears) the default
/// destination.
fn connect_dgram(m: &mut Machine, a: &Args, s: &Sock) -> SysResult {
    if a.u(2) >= 2 && m.copy_in(a.addr(1), 2)? == [0, 0] {
        let mut e = s.borrow_mut();
        e.peer = None;
        e.peer_addr.clear();
        e.peer_cred = None;
        return Ok(0);
    }
    let Addr::Named(name, _) = read_addr(m, a.addr(1), a.u(2))? else {
        return Err(Errno::EINVAL);
    };
    let target = find(m, &name)?;
    let (ty, addr, cred) = {
        let t = target.borrow();
        (t.ty, t.addr.clone(), t.cred)
    };
    if ty != SOCK_DGRAM {
        return Err(Errno::EPROTOTYPE);
    }
    let mut e = s.borrow_mut();
    e.peer = Some(Rc::downgrade(&target));
    e.peer_addr = addr;
    e.peer_cred = Some(cred);
    Ok(0)
}

/// accept4(fd, addr, addrlen, flags).
pub fn accept4(m: &mut Machine, a: &Args, flags: u32) -> SysResult {
    let (cloexec, status) = sock_flags(flags)?;
    let (s, fl) = sock_of(m, a.int(0))?;
    let conn = {
        let mut e = s.borrow_mut();
        if e.ty == SOCK_DGRAM {
            return Err(Errno::EOPNOTSUPP);
        }
        let Some((queue, _)) = e.backlog.as_mut() else {
            return Err(Errno::EINVAL);
        };
        let conn = queue.pop_front();
        e.gens.1 += 1;
        conn
    };
    let Some(conn) = conn else {
        return if fl & O_NONBLOCK == 0 {
            park(m, a)
        } else {
            Err(Errno::EAGAIN)
        };
    };
    let peer = peer_name(&conn.borrow());
    if let Err(e) = write_sockaddr(m, a.addr(1), a.addr(2), &peer) {
        if let Some((queue, _)) = s.borrow_mut().backlog.as_mut() {
            queue.push_front(conn);
        }
        return Err(e);
    }
    let fd = install(m, conn, status, cloexec)?;
    thread::wake_io(m);
    Ok(fd as u64)
}

/// The peer's address as `getpeername` gives it.
fn peer_name(e: &Endpoint) -> Vec<u8> {
    let addr = match e.peer() {
        Some(p) => p.borrow().addr.clone(),
        None => e.peer_addr.clone(),
    };
    if addr.is_empty() {
        unnamed()
    } else {
        addr
    }
}

/// getsockname(fd, addr, addrlen).
pub fn getsockname(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let mut addr = s.borrow().addr.clone();
    if addr.is_empty() {
        addr = unnamed();
    }
    write_sockaddr(m, a.addr(1), a.addr(2), &addr)?;
    Ok(0)
}

/// getpeername(fd, addr, addrlen).
pub fn getpeername(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let addr = {
        let e = s.borrow();
        if e.peer.is_none() {
            return Err(Errno::ENOTCONN);
        }
        peer_name(&e)
    };
    write_sockaddr(m, a.addr(1), a.addr(2), &addr)?;
    Ok(0)
}

/// Queues `data` (with `fds`) at `to`, or at the peer: the bytes taken.
fn deliver(
    s: &Sock,
    to: Option<Sock>,
    data: &[u8],
    fds: Vec<FileRef>,
    cred: Cred,
) -> Result<usize, Errno> {
    let (ty, from, shut, peer, had_peer, connected) = {
        let e = s.borrow();
        let peer = e.peer();
        (
            e.ty,
            e.addr.clone(),
            e.shut(),
            peer,
            e.peer.is_some(),
            e.connected,
        )
    };
    if shut & SEND_SHUTDOWN != 0 {
        return Err(Errno::EPIPE);
    }
    let target = match (ty, to.or(peer)) {
        (_, Some(t)) => t,
        (SOCK_DGRAM, None) if had_peer => return Err(Errno::ECONNREFUSED),
        (SOCK_DGRAM, None) => return Err(Errno::ENOTCONN),
        (_, None) if connected => return Err(Errno::EPIPE),
        (_, None) => return Err(Errno::ENOTCONN),
    };
    let mut t = target.borrow_mut();
    if ty == SOCK_DGRAM {
        // A socket connected elsewhere takes datagrams from its peer only.
        if let Some(p) = t.peer.as_ref().filter(|p| p.strong_count() > 0) {
            if !std::ptr::eq(p.as_ptr(), Rc::as_ptr(s)) {
                return Err(Errno::EPERM);
            }
        }
    }
    if t.shut & RCV_SHUTDOWN != 0 {
        return Err(Errno::EPIPE);
    }
    let n = if ty == SOCK_STREAM {
        if data.is_empty() {
            return Ok(0);
        }
        let room = CAPACITY.saturating_sub(t.bytes);
        if room == 0 {
            return Err(Errno::EAGAIN);
        }
        data.len().min(room)
    } else {
        if data.len() > CAPACITY {
            return Err(Errno::EMSGSIZE);
        }
        if t.bytes + data.len() > CAPACITY {
            return Err(Errno::EAGAIN);
        }
        data.len()
    };
    t.queue.push_back(Msg {
        data: data[..n].to_vec(),
        from,
        fds,
        cred,
    });
    t.bytes += n;
    t.gens.0 += 1;
    Ok(n)
}

/// What a receive took.
#[derive(Default)]
struct Got {
    data: Vec<u8>,
    /// The datagram's full length.
    size: usize,
    from: Vec<u8>,
    fds: Vec<FileRef>,
    cred: Option<Cred>,
}

/// Takes up to `len` bytes from the receive queue: one message of a datagram
/// or seqpacket socket; for a stream, bytes up to a message carrying
/// descriptors (so they arrive with the bytes they were sent with).
fn take(s: &Sock, len: usize, flags: u32) -> Result<Got, Errno> {
    let mut e = s.borrow_mut();
    if e.backlog.is_some() {
        return Err(Errno::EINVAL);
    }
    match e.ty {
        SOCK_STREAM if !e.connected => return Err(Errno::EINVAL),
        SOCK_SEQPACKET if !e.connected => return Err(Errno::ENOTCONN),
        _ => {}
    }
    let peek = flags & MSG_PEEK != 0;
    let eof = e.shut() & RCV_SHUTDOWN != 0;
    if e.queue.is_empty() {
        return if eof {
            Ok(Got::default())
        } else {
            Err(Errno::EAGAIN)
        };
    }
    if e.ty != SOCK_STREAM {
        let msg = if peek {
            e.queue.front().cloned()
        } else {
            e.queue.pop_front()
        };
        let Some(msg) = msg else {
            return Err(Errno::EAGAIN);
        };
        if !peek {
            e.bytes -= msg.data.len();
            e.gens.1 += 1;
        }
        let size = msg.data.len();
        let mut data = msg.data;
        data.truncate(len);
        return Ok(Got {
            data,
            size,
            from: msg.from,
            fds: msg.fds,
            cred: Some(msg.cred),
        });
    }
    if flags & MSG_WAITALL != 0 && e.bytes < len.min(CAPACITY) && !eof {
        return Err(Errno::EAGAIN);
    }
    let mut got = Got::default();
    let mut i = 0;
    while got.data.len() < len && i < e.queue.len() {
        let msg = &mut e.queue[i];
        let carries = !msg.fds.is_empty();
        if carries && !got.data.is_empty() {
            break;
        }
        if got.data.is_empty() {
            got.from = msg.from.clone();
            got.cred = Some(msg.cred);
        }
        let n = (len - got.data.len()).min(msg.data.len());
        got.data.extend_from_slice(&msg.data[..n]);
        if peek {
            got.fds.extend(msg.fds.iter().cloned());
            i += 1;
        } else {
            got.fds.append(&mut msg.fds);
            msg.data.drain(..n);
            if msg.data.is_empty() {
                e.queue.remove(i);
            }
        }
        if carries {
            break;
        }
    }
    if !peek {
        e.bytes -= got.data.len();
        e.gens.1 += 1;
    }
    got.size = got.data.len();
    Ok(got)
}

/// Reads from a unix socket for read()/readv(); descriptors sent along are closed.
pub fn read(s: &Sock, buf: &mut [u8]) -> Result<usize, Errno> {
    let got = take(s, buf.len(), 0)?;
    buf[..got.data.len()].copy_from_slice(&got.data);
    Ok(got.data.len())
}

/// Writes to a unix socket for write()/writev(); EPIPE raises SIGPIPE in the caller.
pub fn write(s: &Sock, data: &[u8]) -> Result<usize, Errno> {
    let cred = s.borrow().cred;
    deliver(s, None, data, Vec::new(), cred)
}

/// Ends a call that may have to wait, as `net.rs`'s `finish` does.
fn finish(m: &mut Machine, a: &Args, r: SysResult, blocking: bool, signal: bool) -> SysResult {
    match r {
        Err(Errno::EAGAIN) if blocking => park(m, a),
        Err(Errno::EPIPE) if signal => {
            let info = siginfo::kill(signal::SIGPIPE, 0, m.os.pid as u32, UID as u32);
            signal::send(m, info);
            r
        }
        Ok(_) => {
            thread::wake_io(m);
            r
        }
        _ => r,
    }
}

/// Parks the thread until descriptor I/O happens somewhere; the call runs again.
fn park(m: &mut Machine, a: &Args) -> SysResult {
    thread::block_and_retry_until(m, a, None, false)
}

/// The send sendto and sendmsg make; `to` is a guest address and its length.
fn transmit(
    m: &mut Machine,
    a: &Args,
    data: &[u8],
    to: (u64, u64),
    fds: Vec<FileRef>,
    flags: u32,
) -> SysResult {
    let (s, fl) = sock_of(m, a.int(0))?;
    let (ty, connected) = {
        let e = s.borrow();
        (e.ty, e.connected)
    };
    let target = match ty {
        _ if to.0 == 0 || to.1 == 0 => None,
        SOCK_DGRAM => match read_addr(m, to.0, to.1)? {
            Addr::Named(name, _) => {
                let t = find(m, &name)?;
                if t.borrow().ty != SOCK_DGRAM {
                    return Err(Errno::EPROTOTYPE);
                }
                Some(t)
            }
            Addr::Auto => return Err(Errno::EINVAL),
        },
        SOCK_STREAM if connected => return Err(Errno::EISCONN),
        SOCK_STREAM => return Err(Errno::EOPNOTSUPP),
        // Seqpacket ignores a destination.
        _ => None,
    };
    let blocking = fl & O_NONBLOCK == 0 && flags & MSG_DONTWAIT == 0;
    let r = deliver(&s, target, data, fds, Cred::of(m)).map(|n| n as u64);
    finish(m, a, r, blocking, flags & MSG_NOSIGNAL == 0)
}

/// sendto(fd, buf, len, flags, addr, addrlen).
pub fn sendto(m: &mut Machine, a: &Args) -> SysResult {
    let data = m.copy_in(a.addr(1), a.u(2).min(CAPACITY as u64 + 1))?;
    transmit(m, a, &data, (a.addr(4), a.u(5)), Vec::new(), a.u(3) as u32)
}

/// sendmsg(fd, msg, flags): the iovecs gathered into one message, `SCM_RIGHTS`
/// descriptions attached.
pub fn sendmsg(m: &mut Machine, a: &Args) -> SysResult {
    let h = read_msghdr(m, a.addr(1))?;
    let mut data = Vec::new();
    for (base, len) in &h.iov {
        let room = CAPACITY as u64 + 1 - data.len() as u64;
        data.extend(m.copy_in(*base, (*len).min(room))?);
    }
    let fds = read_rights(m, &h)?;
    transmit(m, a, &data, (h.name, h.namelen), fds, a.u(2) as u32)
}

/// The descriptions named by the `SCM_RIGHTS` messages of `h`'s control buffer.
fn read_rights(m: &Machine, h: &MsgHdr) -> Result<Vec<FileRef>, Errno> {
    if h.control == 0 || h.controllen == 0 {
        return Ok(Vec::new());
    }
    if h.controllen > CONTROL_MAX {
        return Err(Errno::ENOBUFS);
    }
    let b = m.copy_in(h.control, h.controllen)?;
    let mut fds = Vec::new();
    let mut off = 0usize;
    while off + CMSG_HDR <= b.len() {
        let word = |at: usize, n: usize| {
            let mut v = [0u8; 8];
            v[..n].copy_from_slice(&b[at..at + n]);
            u64::from_le_bytes(v)
        };
        let clen = word(off, 8);
        let (level, ty) = (word(off + 8, 4) as i32, word(off + 12, 4) as i32);
        let clen = usize::try_from(clen)
            .ok()
            .filter(|&l| l >= CMSG_HDR && l <= b.len() - off)
            .ok_or(Errno::EINVAL)?;
        match (level, ty) {
            (SOL_SOCKET, SCM_RIGHTS) => {
                let n = (clen - CMSG_HDR) / 4;
                if fds.len() + n > SCM_MAX_FD {
                    return Err(Errno::EINVAL);
                }
                for i in 0..n {
                    let fd = word(off + CMSG_HDR + 4 * i, 4) as i32;
                    fds.push(m.os.fds.get(fd)?);
                }
            }
            // Credentials are the sender's own here: nothing to check or keep.
            (SOL_SOCKET, SCM_CREDENTIALS) if clen == CMSG_HDR + 12 => {}
            (SOL_SOCKET, _) => return Err(Errno::EINVAL),
            _ => {}
        }
        off += clen.next_multiple_of(8);
    }
    Ok(fds)
}

/// recvfrom(fd, buf, len, flags, addr, addrlen).
pub fn recvfrom(m: &mut Machine, a: &Args) -> SysResult {
    let flags = a.u(3) as u32;
    let Some((got, ty)) = receive(m, a, a.u(2), flags)? else {
        return Ok(a.u(0));
    };
    m.copy_out(a.addr(1), &got.data)?;
    write_sockaddr(m, a.addr(4), a.addr(5), &got.from)?;
    thread::wake_io(m);
    Ok(received_len(&got, ty, flags))
}

fn received_len(got: &Got, ty: u32, flags: u32) -> u64 {
    if flags & MSG_TRUNC != 0 && ty != SOCK_STREAM {
        got.size as u64
    } else {
        got.data.len() as u64
    }
}

/// The receive recvfrom and recvmsg make; `None` when the thread was parked
/// (the call runs again: return anything).
fn receive(m: &mut Machine, a: &Args, len: u64, flags: u32) -> Result<Option<(Got, u32)>, Errno> {
    let (s, fl) = sock_of(m, a.int(0))?;
    let blocking = fl & O_NONBLOCK == 0 && flags & MSG_DONTWAIT == 0;
    let ty = s.borrow().ty;
    match take(&s, len.min(MAX_CHUNK) as usize, flags) {
        Ok(got) => Ok(Some((got, ty))),
        Err(Errno::EAGAIN) if blocking => park(m, a).map(|_| None),
        Err(e) => Err(e),
    }
}

/// recvmsg(fd, msg, flags): scattered over the iovecs; descriptors passed with
/// the message become new descriptors here (`SCM_RIGHTS`), and with
/// `SO_PASSCRED` the sender's credentials come along (`SCM_CREDENTIALS`).
pub fn recvmsg(m: &mut Machine, a: &Args) -> SysResult {
    let (msg, flags) = (a.addr(1), a.u(2) as u32);
    let h = read_msghdr(m, msg)?;
    let total = h.room();
    let Some((got, ty)) = receive(m, a, total, flags)? else {
        return Ok(a.u(0));
    };
    let (s, _) = sock_of(m, a.int(0))?;
    let passcred = s.borrow().passcred;
    let mut rest = &got.data[..];
    for (base, len) in &h.iov {
        let n = rest.len().min(*len as usize);
        m.copy_out(*base, &rest[..n])?;
        rest = &rest[n..];
    }
    let mut namelen = 0u32;
    if h.name != 0 && !got.from.is_empty() {
        let n = got.from.len().min(h.namelen as usize);
        m.copy_out(h.name, &got.from[..n])?;
        namelen = got.from.len() as u32;
    }
    let cred = got.cred.filter(|_| passcred);
    let (controllen, mut msg_flags) =
        write_control(m, &h, got.fds.clone(), cred, flags & MSG_CMSG_CLOEXEC != 0)?;
    if got.size > got.data.len() {
        msg_flags |= MSG_TRUNC;
    }
    m.copy_out(msg + 8, &namelen.to_le_bytes())?;
    m.copy_out(msg + 40, &controllen.to_le_bytes())?;
    m.copy_out(msg + 48, &msg_flags.to_le_bytes())?;
    thread::wake_io(m);
    Ok(received_len(&got, ty, flags))
}

/// Writes the control messages of a receive: credentials, then the passed
/// descriptors installed here (those that do not fit are closed, with
/// MSG_CTRUNC, as Linux does). Returns the control length used and flags.
fn write_control(
    m: &mut Machine,
    h: &MsgHdr,
    fds: Vec<FileRef>,
    cred: Option<Cred>,
    cloexec: bool,
) -> Result<(u64, u32), Errno> {
    let room = if h.control == 0 {
        0
    } else {
        h.controllen.min(CONTROL_MAX) as usize
    };
    let mut out = Vec::new();
    let mut flags = 0;
    let mut installed = Vec::new();
    let header = |len: usize, ty: i32| {
        let mut b = (len as u64).to_le_bytes().to_vec();
        b.extend(SOL_SOCKET.to_le_bytes());
        b.extend(ty.to_le_bytes());
        b
    };
    if let Some(c) = cred {
        let len = CMSG_HDR + 12;
        if room >= len {
            out.extend(header(len, SCM_CREDENTIALS));
            out.extend(c.bytes());
            out.resize(len.next_multiple_of(8).min(room), 0);
        } else {
            flags |= MSG_CTRUNC;
        }
    }
    if !fds.is_empty() {
        let left = room - out.len();
        let fit = left.saturating_sub(CMSG_HDR) / 4;
        let mut nums = Vec::new();
        for f in fds.iter().take(if left < CMSG_HDR { 0 } else { fit }) {
            match m.os.fds.insert(f.clone(), cloexec) {
                Ok(fd) => nums.push(fd),
                Err(_) => break,
            }
        }
        if nums.len() < fds.len() {
            flags |= MSG_CTRUNC;
        }
        installed.clone_from(&nums);
        if !nums.is_empty() {
            let len = CMSG_HDR + 4 * nums.len();
            let start = out.len();
            out.extend(header(len, SCM_RIGHTS));
            for fd in &nums {
                out.extend(fd.to_le_bytes());
            }
            out.resize(start + len.next_multiple_of(8).min(left), 0);
        }
    }
    if !out.is_empty() {
        if let Err(e) = m.copy_out(h.control, &out) {
            // Nobody learns of descriptors that were not delivered: close them.
            for fd in installed {
                let _ = m.os.fds.close(fd);
            }
            return Err(e);
        }
    }
    Ok((out.len() as u64, flags))
}

/// shutdown(fd, how): shuts this side, and the opposite side of the peer.
pub fn shutdown(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let mask = match a.int(1) {
        0 => RCV_SHUTDOWN,
        1 => SEND_SHUTDOWN,
        2 => SHUTDOWN_MASK,
        _ => return Err(Errno::EINVAL),
    };
    let peer = {
        let mut e = s.borrow_mut();
        if e.ty != SOCK_DGRAM && !e.connected && e.backlog.is_none() {
            return Err(Errno::ENOTCONN);
        }
        e.shut |= mask;
        e.gens.0 += 1;
        e.peer().filter(|_| e.ty != SOCK_DGRAM)
    };
    if let Some(p) = peer {
        let mut p = p.borrow_mut();
        p.shut |= (mask & RCV_SHUTDOWN) << 1 | (mask & SEND_SHUTDOWN) >> 1;
        p.gens.0 += 1;
    }
    thread::wake_io(m);
    Ok(0)
}

/// setsockopt(fd, level, name, value, len): `SO_PASSCRED`; buffer sizes and the
/// like are accepted and read back.
pub fn setsockopt(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let (level, name) = (a.int(1), a.int(2));
    if level != SOL_SOCKET {
        return Err(Errno::EOPNOTSUPP);
    }
    if a.u(4) < 4 {
        return Err(Errno::EINVAL);
    }
    let v = m.read_u32(a.addr(3))? as i32;
    let mut e = s.borrow_mut();
    match name {
        SO_PASSCRED => e.passcred = v != 0,
        SO_SNDBUF | SO_RCVBUF => {
            e.options.retain(|o| o.0 != name);
            e.options.push((name, v.clamp(2304, i32::MAX / 2) * 2));
        }
        // SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER, SO_REUSEPORT,
        // SO_RCVTIMEO/SO_SNDTIMEO (not enforced), SO_PRIORITY.
        2 | 9 | 6 | 13 | 15 | 12 | 20 | 21 | 66 | 67 => {
            e.options.retain(|o| o.0 != name);
            e.options.push((name, (v != 0) as i32));
        }
        _ => return Err(Errno::ENOPROTOOPT),
    }
    Ok(0)
}

/// getsockopt(fd, level, name, value, len).
pub fn getsockopt(m: &mut Machine, a: &Args) -> SysResult {
    let (s, _) = sock_of(m, a.int(0))?;
    let (level, name, val, len_ptr) = (a.int(1), a.int(2), a.addr(3), a.addr(4));
    if level != SOL_SOCKET {
        return Err(Errno::EOPNOTSUPP);
    }
    let bytes: Vec<u8> = {
        let e = s.borrow();
        let int = |v: i32| v.to_le_bytes().to_vec();
        match name {
            SO_TYPE => int(e.ty as i32),
            SO_DOMAIN => int(AF_UNIX as i32),
            SO_PROTOCOL | SO_ERROR => int(0),
            SO_ACCEPTCONN => int(e.backlog.is_some() as i32),
            SO_PASSCRED => int(e.passcred as i32),
            SO_PEERCRED => e
                .peer_cred
                // Nobody connected: Linux's pid 0 and the overflow ids.
                .unwrap_or(Cred {
                    pid: 0,
                    uid: 65534,
                    gid: 65534,
                })
                .bytes()
                .to_vec(),
            _ => match e.options.iter().find(|o| o.0 == name) {
                Some(o) => int(o.1),
                None if matches!(name, SO_SNDBUF | SO_RCVBUF) => int(CAPACITY as i32),
                None if matches!(name, 2 | 9 | 6 | 13 | 15 | 12 | 20 | 21 | 66 | 67) => int(0),
                None => return Err(Errno::ENOPROTOOPT),
            },
        }
    };
    let room = m.read_u32(len_ptr)? as i32;
    let room = usize::try_from(room)
        .map_err(|_| Errno::EINVAL)?
        .min(bytes.len());
    m.copy_out(val, &bytes[..room])?;
    m.copy_out(len_ptr, &(room as u32).to_le_bytes())?;
    Ok(0)
}

/// Readiness as Linux's `unix_poll`/`unix_dgram_poll` give it.
pub fn poll(s: &Sock) -> u32 {
    let Ok(e) = s.try_borrow() else {
        return 0;
    };
    if let Some((queue, _)) = &e.backlog {
        return if queue.is_empty() {
            0
        } else {
            POLLIN | POLLRDNORM
        };
    }
    let shut = e.shut();
    let mut r = 0;
    if !e.queue.is_empty() || shut & RCV_SHUTDOWN != 0 {
        r |= POLLIN | POLLRDNORM;
    }
    if shut & RCV_SHUTDOWN != 0 {
        r |= POLLRDHUP;
    }
    if shut == SHUTDOWN_MASK || e.ty != SOCK_DGRAM && !e.connected {
        r |= POLLHUP;
    }
    let full = e
        .peer()
        .is_some_and(|p| p.try_borrow().is_ok_and(|p| p.bytes >= CAPACITY));
    if !full {
        r |= POLLOUT | POLLWRNORM;
    }
    r
}

/// Change counters `(input side, output side)` for edge-triggered epoll: the
/// output side moves when the peer takes what this socket sent.
pub fn generations(s: &Sock) -> (u64, u64) {
    let Ok(e) = s.try_borrow() else {
        return (0, 0);
    };
    let out = e
        .peer()
        .and_then(|p| p.try_borrow().ok().map(|p| p.gens.1))
        .unwrap_or(0);
    (e.gens.0, e.gens.1.wrapping_add(out))
}

/// The inode number `fstat` shows.
pub fn ino(s: &Sock) -> u64 {
    s.borrow().ino
}

/// Bytes waiting to be read (`FIONREAD`): a stream's all, a datagram's next.
pub fn pending(s: &Sock) -> usize {
    let e = s.borrow();
    match e.ty {
        SOCK_STREAM => e.bytes,
        _ => e.queue.front().map_or(0, |m| m.data.len()),
    }
}

/// mknodat(dirfd, path, mode, dev): FIFOs (in this instance), regular files and
/// socket files (no one listens); devices need privileges the guest lacks.
pub fn mknodat(m: &mut Machine, a: &Args) -> SysResult {
    let mode = a.u(2) as u32;
    let guest = m.resolve(a.int(0), &m.read_path(a.addr(1))?)?;
    match mode & S_IFMT {
        0 | S_IFREG | S_IFIFO | S_IFSOCK => {}
        S_IFCHR | S_IFBLK => {
            return Err(match std::fs::symlink_metadata(m.host_path(&guest)) {
                Ok(_) => Errno::EEXIST,
                Err(_) => Errno::EPERM,
            });
        }
        _ => return Err(Errno::EINVAL),
    }
    placeholder(m, &guest, mode)?;
    let reg = &mut m.procs.unix;
    match mode & S_IFMT {
        S_IFIFO => {
            let pipe = Rc::new(RefCell::new(Pipe {
                ino: next_ino(),
                ..Pipe::default()
            }));
            let fifo = Fifo {
                pipe,
                opened: (0, 0),
                waiting: Vec::new(),
            };
            reg.fifos.insert(guest, Rc::new(RefCell::new(fifo)));
        }
        S_IFSOCK => {
            reg.sockets.insert(Name::Path(guest), Weak::new());
        }
        _ => {}
    }
    Ok(0)
}

/// `open` of a registered path: a FIFO opens its pipe (perhaps waiting for the
/// other side), a socket fails with ENXIO. `None`: not registered.
pub fn open(m: &mut Machine, a: &Args, guest: &str, fl: u32) -> Option<SysResult> {
    if fl & O_PATH != 0 {
        return None;
    }
    if m.procs
        .unix
        .sockets
        .contains_key(&Name::Path(guest.to_string()))
    {
        return Some(Err(Errno::ENXIO));
    }
    let fifo = m.procs.unix.fifos.get(guest)?.clone();
    Some(open_fifo(m, a, guest, &fifo, fl))
}

/// Linux's `fifo_open`: a reader waits for a writer and a writer for a reader,
/// unless `O_NONBLOCK` (then a writer without readers gets ENXIO); `O_RDWR`
/// never waits.
fn open_fifo(
    m: &mut Machine,
    a: &Args,
    guest: &str,
    fifo: &Rc<RefCell<Fifo>>,
    fl: u32,
) -> SysResult {
    if fl & O_CREAT != 0 && fl & O_EXCL != 0 {
        return Err(Errno::EEXIST);
    }
    if fl & O_DIRECTORY != 0 {
        return Err(Errno::ENOTDIR);
    }
    let acc = fl & O_ACCMODE;
    if acc == O_ACCMODE {
        return Err(Errno::EINVAL);
    }
    let nonblock = fl & O_NONBLOCK != 0;
    let me = (m.os.pid, m.os.threads.current);
    let mut f = fifo.borrow_mut();
    let pipe = f.pipe.clone();
    let mut p = pipe.borrow_mut();
    // A waiting opener already counts as a reader or writer (as in Linux's
    // `fifo_open`): its partner may open, write and close before it runs again.
    let mine = f.waiting.iter().position(|w| (w.0, w.1) == me);
    let partner_came = |count: u64| mine.is_some_and(|i| f.waiting[i].3 != count);
    let ready = match acc {
        0 => nonblock || p.writers > 0 || partner_came(f.opened.1),
        O_WRONLY => p.readers > 0 || partner_came(f.opened.0),
        _ => true,
    };
    if !ready {
        if nonblock {
            return Err(Errno::ENXIO);
        }
        if mine.is_none() {
            let write = acc == O_WRONLY;
            let seen = if write { f.opened.0 } else { f.opened.1 };
            f.waiting.push((me.0, me.1, write, seen));
            if write {
                p.writers += 1;
            } else {
                p.readers += 1;
            }
        }
        drop((p, f));
        thread::wake_io(m);
        return thread::block_and_retry_until(m, a, None, true);
    }
    // Nobody has it open: a fresh pipe, as Linux frees the old one.
    if p.readers == 0 && p.writers == 0 {
        p.data.clear();
    }
    let counted = mine.map(|i| f.waiting.remove(i).2);
    let mut end = |write: bool| {
        if counted != Some(write) {
            if write {
                p.writers += 1;
            } else {
                p.readers += 1;
            }
        }
        PipeEnd {
            pipe: pipe.clone(),
            write,
        }
    };
    let kind = match acc {
        0 => Kind::Pipe(end(false)),
        O_WRONLY => Kind::Pipe(end(true)),
        _ => Kind::Fifo {
            rx: end(false),
            tx: end(true),
        },
    };
    drop(p);
    if acc != O_WRONLY {
        f.opened.0 += 1;
    }
    if acc != 0 {
        f.opened.1 += 1;
    }
    drop(f);
    let status = fl & !(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_NOFOLLOW | O_DIRECTORY);
    let file = OpenFile::new(kind, guest.to_string(), status);
    let fd = m.os.fds.insert(file, fl & O_CLOEXEC != 0)?;
    thread::wake_io(m);
    Ok(fd as u64)
}
