//! Network sockets: `socket`, `bind`, `listen`, `accept4`, `connect`,
//! `sendto`/`recvfrom`, `sendmsg`/`recvmsg`, `shutdown`, `getsockname`,
//! `getpeername`, `setsockopt`/`getsockopt` for `AF_INET` and `AF_INET6`, TCP
//! and UDP. `AF_UNIX` sockets are `unix.rs`'s: `socket()` hands them over, and
//! the dispatcher sends calls on their descriptors there.
//!
//! Each guest socket owns a host socket (socket2: the kernel's natively,
//! wasi-libc's over `wasi:sockets` in the component), created at `socket()` and
//! always non-blocking, because every guest thread runs on the one host thread.
//! A call that would block on a blocking guest socket parks the thread and runs
//! again after [`POLL_INTERVAL`] (the scheduler sleeps until then when nothing
//! else runs); readiness for `poll`/`epoll` comes from a zero-timeout host
//! `poll`, which in wasi-libc is also what completes a non-blocking connect.
//!
//! wasi-libc has no `MSG_PEEK`, so peeked bytes (or the peeked datagram) are
//! kept here and handed out first by the next receive; `MSG_WAITALL` waits by
//! the same means, and `poll` reads ahead the same way to confirm input the
//! host reports (wasmtime's streams report input after a read drained them).
//! Edge-triggered epoll sees a socket change whenever the guest has tried to
//! receive or send since the last report, and when input or output appears
//! (Linux also reports more data arriving on a socket that already had some). Options the host cannot apply are remembered and read back as
//! set. Not done: `connect(AF_UNSPEC)`, ancillary data on these families, `SO_RCVTIMEO`/`SO_SNDTIMEO` enforcement, out-of-band data.

use super::abi::{siginfo, In, Out};
use super::fd::{flags::*, Kind, OpenFile};
use super::poll::bits::*;
use super::{signal, thread, Args, Errno, SysResult, PID, UID};
use crate::machine::Machine;
use socket2::{Domain, SockAddr, Socket as HostSocket, Type};
use std::cell::{Cell, RefCell};
use std::mem::MaybeUninit;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::time::{Duration, Instant};

/// How often a thread waiting for a host socket looks again.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1);

const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;
const SOCK_STREAM: u32 = 1;
const SOCK_DGRAM: u32 = 2;
const SOCK_TYPE_MASK: u32 = 0xf;
const IPPROTO_IP: i32 = 0;
const IPPROTO_TCP: i32 = 6;
const IPPROTO_UDP: i32 = 17;
const IPPROTO_IPV6: i32 = 41;
const SOL_SOCKET: i32 = 1;

const MSG_PEEK: u32 = 0x2;
const MSG_TRUNC: u32 = 0x20;
const MSG_DONTWAIT: u32 = 0x40;
const MSG_WAITALL: u32 = 0x100;
const MSG_NOSIGNAL: u32 = 0x4000;

const SO_REUSEADDR: i32 = 2;
const SO_TYPE: i32 = 3;
const SO_ERROR: i32 = 4;
const SO_BROADCAST: i32 = 6;
const SO_SNDBUF: i32 = 7;
const SO_RCVBUF: i32 = 8;
const SO_KEEPALIVE: i32 = 9;
const SO_ACCEPTCONN: i32 = 30;
const SO_PROTOCOL: i32 = 38;
const SO_DOMAIN: i32 = 39;
const TCP_NODELAY: i32 = 1;
const IPV6_V6ONLY: i32 = 26;

/// Largest datagram a receive can return (and the size of its buffer).
const MAX_DATAGRAM: usize = 65536;
/// Most bytes one call moves through the emulator's buffer: a stream transfer
/// may be short, so bigger ones are shortened (a datagram cannot be that big).
pub(super) const MAX_CHUNK: u64 = 1 << 20;
/// `struct sockaddr_storage`: the largest address a guest may pass.
const SOCKADDR_MAX: u64 = 128;

/// How far a socket has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Created or bound.
    Idle,
    /// A TCP connect was started and has not finished.
    Connecting,
    /// A TCP connection, or a UDP socket with a default peer.
    Connected,
    /// `listen` was called.
    Listening,
}

/// An `AF_INET`/`AF_INET6` socket.
#[derive(Debug)]
pub struct Socket {
    family: u16,
    stream: bool,
    host: HostSocket,
    state: State,
    /// What was read from the host and not yet received by the guest (a
    /// `RefCell` because `poll` reads ahead to confirm input).
    held: RefCell<Held>,
    shut_rd: bool,
    shut_wr: bool,
    /// Options read back as they were set: `(level, name, value)`.
    options: Vec<(i32, i32, i32)>,
    /// Receive and send attempts, for edge-triggered epoll.
    gens: (u64, u64),
    /// Readiness at the last [`Socket::poll`], and how often input and output
    /// appeared since the socket was made: the edges the kernel's wakeups on
    /// arrival would give.
    edges: Cell<(u32, u64, u64)>,
}

/// Input read from the host but not yet received by the guest: after
/// `MSG_PEEK`, a short `MSG_WAITALL`, or `poll` confirming input; for UDP at most
/// one datagram.
#[derive(Debug, Default)]
struct Held {
    data: Vec<u8>,
    /// The sender of the held datagram.
    from: Option<SocketAddr>,
    /// The host stream reached its end.
    eof: bool,
}

impl Held {
    /// Reads more of the host stream, up to `want` bytes held in all.
    fn fill(&mut self, host: &HostSocket, want: usize) -> Result<(), Errno> {
        if self.eof || self.data.len() >= want {
            return Ok(());
        }
        let start = self.data.len();
        self.data.resize(want, 0);
        let r = host.recv(as_uninit(&mut self.data[start..]));
        self.data.truncate(start + *r.as_ref().unwrap_or(&0));
        let n = r?;
        self.eof |= n == 0;
        Ok(())
    }

    /// Takes the next datagram from the host, unless one is held.
    fn take_datagram(&mut self, host: &HostSocket) -> Result<(), Errno> {
        if self.from.is_some() {
            return Ok(());
        }
        let mut data = vec![0u8; MAX_DATAGRAM];
        let (n, from) = host.recv_from(as_uninit(&mut data))?;
        data.truncate(n);
        self.data = data;
        self.from = Some(from.as_socket().ok_or(Errno::EIO)?);
        Ok(())
    }

    /// Copies held bytes to `buf`, and drops them unless peeking.
    fn take(&mut self, buf: &mut [u8], peek: bool) -> usize {
        let n = buf.len().min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        if !peek {
            self.data.drain(..n);
        }
        n
    }
}

/// Treats a byte buffer as the possibly-uninitialised buffer socket2 receives into.
fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and the host only writes
    // initialised bytes into it, so the slice stays initialised.
    unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

/// Send flags for the host: never a host SIGPIPE (the guest gets its own).
#[cfg(not(target_os = "wasi"))]
const HOST_SEND_FLAGS: i32 = libc::MSG_NOSIGNAL;
#[cfg(target_os = "wasi")]
const HOST_SEND_FLAGS: i32 = 0;

/// Makes a host socket non-blocking: wasi-libc takes `FIONBIO` for sockets, not
/// `F_SETFL` (which socket2 uses).
#[cfg(target_os = "wasi")]
fn set_nonblocking(host: &HostSocket) -> Result<(), Errno> {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: FIONBIO reads one int through the pointer, which outlives the call.
    if unsafe { libc::ioctl(host.as_raw_fd(), libc::FIONBIO, &on) } < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

#[cfg(not(target_os = "wasi"))]
fn set_nonblocking(host: &HostSocket) -> Result<(), Errno> {
    Ok(host.set_nonblocking(true)?)
}

impl Socket {
    fn new(family: u16, stream: bool, host: HostSocket, state: State) -> Result<Socket, Errno> {
        set_nonblocking(&host)?;
        Ok(Socket {
            family,
            stream,
            host,
            state,
            held: RefCell::default(),
            shut_rd: false,
            shut_wr: false,
            options: Vec::new(),
            gens: (0, 0),
            edges: Cell::default(),
        })
    }

    /// Host readiness as `POLL*` bits, from a zero-timeout host `poll`.
    fn host_poll(&self) -> u32 {
        use std::os::fd::AsRawFd;
        let mut fds = [libc::pollfd {
            fd: self.host.as_raw_fd(),
            events: libc::POLLIN | libc::POLLOUT,
            revents: 0,
        }];
        // SAFETY: `fds` is a valid array of one `pollfd` for the whole call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, 0) };
        if n <= 0 {
            return 0;
        }
        let r = fds[0].revents;
        let mut bits = 0;
        for (host, linux) in [
            (libc::POLLIN, POLLIN | POLLRDNORM),
            (libc::POLLOUT, POLLOUT | POLLWRNORM),
            (libc::POLLERR, POLLERR),
            (libc::POLLHUP, POLLHUP),
        ] {
            if r & host != 0 {
                bits |= linux;
            }
        }
        bits
    }

    /// Readiness as Linux's `poll` reports it.
    pub fn poll(&self) -> u32 {
        let mut r = self.host_poll();
        let Ok(mut held) = self.held.try_borrow_mut() else {
            return r;
        };
        let reading = if self.stream {
            self.state == State::Connected
        } else {
            self.state != State::Listening
        };
        if r & POLLIN != 0 && reading && held.data.is_empty() && !held.eof {
            // Hosts may report input that is not there (wasmtime's streams do
            // after a read); reading it ahead confirms it.
            let r2 = if self.stream {
                held.fill(&self.host, MAX_DATAGRAM)
            } else {
                held.take_datagram(&self.host)
            };
            let nothing = held.data.is_empty() && held.from.is_none() && !held.eof;
            if r2 == Err(Errno::EAGAIN) || r2.is_ok() && nothing {
                r &= !(POLLIN | POLLRDNORM);
            }
        }
        if !held.data.is_empty() || held.from.is_some() || held.eof || self.shut_rd {
            r |= POLLIN | POLLRDNORM;
        }
        if held.eof || self.shut_rd {
            r |= POLLRDHUP;
        }
        if self.state == State::Connecting {
            r &= !(POLLIN | POLLRDNORM);
        }
        // Input or output that appeared since the last look is an edge.
        let (before, mut input, mut output) = self.edges.get();
        input += (r & POLLIN != 0 && before & POLLIN == 0) as u64;
        output += (r & POLLOUT != 0 && before & POLLOUT == 0) as u64;
        self.edges.set((r, input, output));
        r
    }

    /// Change counters `(input side, output side)` for edge-triggered epoll: the
    /// guest's attempts, plus input or output that appeared since the last look
    /// (data that arrives after an edge-triggered report of the other side is a
    /// new edge, as on Linux).
    pub fn generations(&self) -> (u64, u64) {
        let (_, input, output) = self.edges.get();
        (self.gens.0 + input, self.gens.1 + output)
    }

    /// Moves a finished non-blocking connect to its outcome: `Ok(true)` when
    /// connected, `Ok(false)` while it is still under way.
    fn settle_connect(&mut self) -> Result<bool, Errno> {
        if self.state != State::Connecting {
            return Ok(true);
        }
        let r = self.host_poll();
        if r & (POLLOUT | POLLERR | POLLHUP) == 0 {
            return Ok(false);
        }
        if self.host.peer_addr().is_ok() {
            self.state = State::Connected;
            return Ok(true);
        }
        self.state = State::Idle;
        Err(match self.host.take_error() {
            Ok(Some(e)) => e.into(),
            _ => Errno::ECONNREFUSED,
        })
    }

    /// A stream receive: at least one byte (all of `buf` with `MSG_WAITALL`),
    /// or 0 at the end of the stream.
    fn recv_stream(&mut self, buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
        match self.state {
            State::Connected => {}
            State::Connecting => return Err(Errno::EAGAIN),
            _ => return Err(Errno::ENOTCONN),
        }
        let held = self.held.get_mut();
        if self.shut_rd && held.data.is_empty() {
            return Ok(0);
        }
        // MSG_WAITALL waits for the whole buffer, peeking or not (Linux's
        // tcp_recvmsg: its target is the length either way).
        let need = if flags & MSG_WAITALL != 0 {
            buf.len()
        } else {
            buf.len().min(1)
        };
        if held.data.is_empty() && flags & (MSG_PEEK | MSG_WAITALL) == 0 && !held.eof {
            // Nothing held: straight from the host into the guest's buffer.
            let n = self.host.recv(as_uninit(buf))?;
            held.eof |= n == 0 && !buf.is_empty();
            return Ok(n);
        }
        match held.fill(&self.host, buf.len()) {
            Err(Errno::EAGAIN) => {}
            Err(e) if held.data.is_empty() => return Err(e),
            _ => {}
        }
        if held.data.len() < need && !held.eof {
            return Err(Errno::EAGAIN);
        }
        Ok(held.take(buf, flags & MSG_PEEK != 0))
    }

    /// A datagram receive: `(bytes copied, datagram size, sender)`.
    fn recv_dgram(
        &mut self,
        buf: &mut [u8],
        flags: u32,
    ) -> Result<(usize, usize, Option<SocketAddr>), Errno> {
        let held = self.held.get_mut();
        held.take_datagram(&self.host)?;
        let (size, from) = (held.data.len(), held.from);
        let n = held.take(buf, flags & MSG_PEEK != 0);
        if flags & MSG_PEEK == 0 {
            held.data.clear();
            held.from = None;
        }
        Ok((n, size, from))
    }

    /// Receives into `buf`: `(bytes copied, full length, sender)`.
    fn recv(
        &mut self,
        buf: &mut [u8],
        flags: u32,
    ) -> Result<(usize, usize, Option<SocketAddr>), Errno> {
        self.gens.0 += 1;
        if self.stream {
            let n = self.recv_stream(buf, flags)?;
            Ok((n, n, None))
        } else {
            self.recv_dgram(buf, flags)
        }
    }

    /// Sends `data`, to `to` or to the connected peer.
    fn send(&mut self, data: &[u8], to: Option<SocketAddr>) -> Result<usize, Errno> {
        self.gens.1 += 1;
        if self.stream {
            if !self.settle_connect()? {
                return Err(Errno::EAGAIN);
            }
            if self.shut_wr || self.state != State::Connected {
                return Err(Errno::EPIPE);
            }
            return Ok(self.host.send_with_flags(data, HOST_SEND_FLAGS)?);
        }
        if self.shut_wr {
            return Err(Errno::EPIPE);
        }
        match to {
            Some(to) => Ok(self.host.send_to(data, &SockAddr::from(to))?),
            None if self.state == State::Connected => Ok(self.host.send(data)?),
            None => Err(Errno::EDESTADDRREQ),
        }
    }

    /// What an unbound socket of this family reports as its address.
    fn unspecified(&self) -> SocketAddr {
        if self.family == AF_INET6 {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0)
        } else {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0)
        }
    }

    fn option(&self, level: i32, name: i32) -> Option<i32> {
        self.options
            .iter()
            .find(|o| o.0 == level && o.1 == name)
            .map(|o| o.2)
    }

    fn remember(&mut self, level: i32, name: i32, value: i32) {
        self.options.retain(|o| !(o.0 == level && o.1 == name));
        self.options.push((level, name, value));
    }
}

/// Reads and releases a `Kind::Net` of `fd`, or fails as Linux does for a non-socket.
fn with_socket<T>(
    m: &Machine,
    fd: i32,
    f: impl FnOnce(&mut Socket, u32) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let file = m.os.fds.get(fd)?;
    let mut file = file.borrow_mut();
    let flags = file.flags;
    match &mut file.kind {
        Kind::Net(s) => f(s, flags),
        _ => Err(Errno::ENOTSOCK),
    }
}

/// Ends a call that may have to wait: EAGAIN on a blocking socket parks the
/// thread until the next look at the host; EPIPE raises SIGPIPE unless
/// `MSG_NOSIGNAL`.
fn finish(m: &mut Machine, a: &Args, r: SysResult, blocking: bool, signal: bool) -> SysResult {
    match r {
        Err(Errno::EAGAIN) if blocking => park(m, a),
        Err(Errno::EPIPE) if signal => {
            let info = siginfo::kill(signal::SIGPIPE, 0, PID as u32, UID as u32);
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

/// Parks the thread; the call runs again at the next look at the host.
pub fn park(m: &mut Machine, a: &Args) -> SysResult {
    thread::block_and_retry_until(m, a, Some(next_look()), false)
}

/// When a thread waiting for a host socket looks again.
pub fn next_look() -> Instant {
    Instant::now() + POLL_INTERVAL
}

/// A guest `sockaddr` of `len` bytes at `addr`, for a socket of `family`.
fn read_sockaddr(m: &Machine, addr: u64, len: u64, family: u16) -> Result<SocketAddr, Errno> {
    if len > SOCKADDR_MAX {
        return Err(Errno::EINVAL);
    }
    let want = if family == AF_INET6 { 24 } else { 16 };
    if len < want {
        return Err(Errno::EINVAL);
    }
    let bytes = m.copy_in(addr, len)?;
    let b = In(&bytes);
    if u16::from_le_bytes([bytes[0], bytes[1]]) != family {
        return Err(Errno::EAFNOSUPPORT);
    }
    let port = u16::from_be_bytes([bytes[2], bytes[3]]);
    Ok(if family == AF_INET6 {
        let mut ip = [0u8; 16];
        ip.copy_from_slice(&bytes[8..24]);
        let scope = if len >= 28 { b.u32(24) } else { 0 };
        SocketAddr::V6(SocketAddrV6::new(
            Ipv6Addr::from(ip),
            port,
            u32::from_be(b.u32(4)),
            scope,
        ))
    } else {
        let ip = Ipv4Addr::new(bytes[4], bytes[5], bytes[6], bytes[7]);
        SocketAddr::V4(SocketAddrV4::new(ip, port))
    })
}

/// The guest `sockaddr_in`/`sockaddr_in6` of `sa`.
fn sockaddr_bytes(sa: SocketAddr) -> Vec<u8> {
    match sa {
        SocketAddr::V4(v4) => {
            let mut o = Out::new(16);
            o.u16(0, AF_INET)
                .u16(2, v4.port().to_be())
                .bytes(4, &v4.ip().octets());
            o.0
        }
        SocketAddr::V6(v6) => {
            let mut o = Out::new(28);
            o.u16(0, AF_INET6)
                .u16(2, v6.port().to_be())
                .u32(4, v6.flowinfo().to_be())
                .bytes(8, &v6.ip().octets())
                .u32(24, v6.scope_id());
            o.0
        }
    }
}

/// Writes an address for the guest: as much as `*len_ptr` allows, then its
/// real length to `*len_ptr` (a null `addr` writes nothing).
pub(super) fn write_sockaddr(
    m: &mut Machine,
    addr: u64,
    len_ptr: u64,
    bytes: &[u8],
) -> Result<(), Errno> {
    if addr == 0 {
        return Ok(());
    }
    let room = m.read_u32(len_ptr)? as i32;
    let room = usize::try_from(room).map_err(|_| Errno::EINVAL)?;
    m.copy_out(addr, &bytes[..room.min(bytes.len())])?;
    m.copy_out(len_ptr, &(bytes.len() as u32).to_le_bytes())
}

/// `SOCK_NONBLOCK`/`SOCK_CLOEXEC` in a type or `accept4` flags: (cloexec, status flags).
pub(super) fn sock_flags(flags: u32) -> Result<(bool, u32), Errno> {
    if flags & !(O_NONBLOCK | O_CLOEXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    Ok((flags & O_CLOEXEC != 0, flags & O_NONBLOCK))
}

fn install(m: &mut Machine, s: Socket, status: u32, cloexec: bool) -> SysResult {
    let file = OpenFile::new(Kind::Net(s), "socket:[0]".into(), status | O_RDWR);
    Ok(m.os.fds.insert(file, cloexec)? as u64)
}

/// socket(domain, type, protocol).
pub fn socket(m: &mut Machine, a: &Args) -> SysResult {
    let (family, ty, protocol) = (a.u(0), a.u(1) as u32, a.int(2));
    let (cloexec, status) = sock_flags(ty & !SOCK_TYPE_MASK)?;
    let domain = match family {
        1 => return super::unix::socket(m, a),
        2 => Domain::IPV4,
        10 => Domain::IPV6,
        _ => return Err(Errno::EAFNOSUPPORT),
    };
    let (stream, proto) = match ty & SOCK_TYPE_MASK {
        SOCK_STREAM => (true, IPPROTO_TCP),
        SOCK_DGRAM => (false, IPPROTO_UDP),
        // Past SOCK_PACKET: no such type.
        11.. => return Err(Errno::EINVAL),
        _ => return Err(Errno::ESOCKTNOSUPPORT),
    };
    if protocol != 0 && protocol != proto {
        return Err(Errno::EPROTONOSUPPORT);
    }
    let host_type = if stream { Type::STREAM } else { Type::DGRAM };
    let host = HostSocket::new(domain, host_type, None)?;
    let s = Socket::new(family as u16, stream, host, State::Idle)?;
    install(m, s, status, cloexec)
}

/// bind(fd, addr, addrlen).
pub fn bind(m: &mut Machine, a: &Args) -> SysResult {
    let family = with_socket(m, a.int(0), |s, _| Ok(s.family))?;
    let sa = read_sockaddr(m, a.addr(1), a.u(2), family)?;
    with_socket(m, a.int(0), |s, _| {
        s.host.bind(&SockAddr::from(sa))?;
        Ok(0)
    })
}

/// listen(fd, backlog).
pub fn listen(m: &mut Machine, a: &Args) -> SysResult {
    let backlog = a.int(1).clamp(1, 4096);
    with_socket(m, a.int(0), |s, _| {
        if !s.stream {
            return Err(Errno::EOPNOTSUPP);
        }
        match s.state {
            State::Idle => s.host.listen(backlog)?,
            State::Listening => {}
            _ => return Err(Errno::EINVAL),
        }
        s.state = State::Listening;
        Ok(0)
    })
}

/// accept4(fd, addr, addrlen, flags); accept is accept4 with no flags.
pub fn accept4(m: &mut Machine, a: &Args, flags: u32) -> SysResult {
    let (cloexec, status) = sock_flags(flags)?;
    let fd = a.int(0);
    let r = with_socket(m, fd, |s, fl| {
        if s.state != State::Listening {
            return Err(Errno::EINVAL);
        }
        s.gens.0 += 1;
        let nonblocking = fl & O_NONBLOCK != 0;
        match s.host.accept() {
            Ok((host, peer)) => Ok(Ok((s.family, host, peer))),
            Err(e) => Ok(Err((Errno::from(e), nonblocking))),
        }
    })?;
    let (family, host, peer) = match r {
        Ok(x) => x,
        Err((e, nonblocking)) => return finish(m, a, Err(e), !nonblocking, false),
    };
    let peer = peer.as_socket().ok_or(Errno::EIO)?;
    if a.addr(1) != 0 {
        write_sockaddr(m, a.addr(1), a.addr(2), &sockaddr_bytes(peer))?;
    }
    let s = Socket::new(family, true, host, State::Connected)?;
    install(m, s, status, cloexec)
}

/// connect(fd, addr, addrlen): a blocking TCP connect parks until the host's
/// non-blocking connect settles.
pub fn connect(m: &mut Machine, a: &Args) -> SysResult {
    let fd = a.int(0);
    let (family, state) = with_socket(m, fd, |s, _| Ok((s.family, s.state)))?;
    let (blocking, r) = if state == State::Connecting {
        with_socket(m, fd, |s, fl| {
            let blocking = fl & O_NONBLOCK == 0;
            Ok((
                blocking,
                match s.settle_connect() {
                    Ok(true) => Ok(0),
                    Ok(false) if blocking => Err(Errno::EAGAIN),
                    Ok(false) => Err(Errno::EALREADY),
                    Err(e) => Err(e),
                },
            ))
        })?
    } else {
        let sa = read_sockaddr(m, a.addr(1), a.u(2), family)?;
        with_socket(m, fd, |s, fl| {
            let blocking = fl & O_NONBLOCK == 0;
            if s.stream && s.state == State::Connected {
                return Err(Errno::EISCONN);
            }
            if s.stream && s.state == State::Listening {
                return Err(Errno::EINVAL);
            }
            let r = match s.host.connect(&SockAddr::from(sa)) {
                Ok(()) => {
                    s.state = State::Connected;
                    Ok(0)
                }
                Err(e) => match Errno::from(e) {
                    Errno::EINPROGRESS | Errno::EAGAIN if s.stream => {
                        s.state = State::Connecting;
                        Err(if blocking {
                            Errno::EAGAIN
                        } else {
                            Errno::EINPROGRESS
                        })
                    }
                    e => Err(e),
                },
            };
            Ok((blocking, r))
        })?
    };
    finish(m, a, r, blocking, false)
}

/// The receive both recvfrom and recvmsg make: into a buffer of `len` bytes,
/// then `deliver` writes it to the guest.
fn receive(
    m: &mut Machine,
    a: &Args,
    len: u64,
    flags: u32,
    deliver: impl FnOnce(&mut Machine, &[u8], usize, Option<SocketAddr>) -> SysResult,
) -> SysResult {
    let mut buf = vec![0u8; len.min(MAX_CHUNK) as usize];
    let r = with_socket(m, a.int(0), |s, fl| {
        let blocking = fl & O_NONBLOCK == 0 && flags & MSG_DONTWAIT == 0;
        Ok((blocking, s.recv(&mut buf, flags)))
    })?;
    match r {
        (_, Ok((n, size, from))) => {
            let r = deliver(m, &buf[..n], size, from);
            finish(m, a, r, false, false)
        }
        (blocking, Err(e)) => finish(m, a, Err(e), blocking, false),
    }
}

/// recvfrom(fd, buf, len, flags, addr, addrlen).
pub fn recvfrom(m: &mut Machine, a: &Args) -> SysResult {
    let flags = a.u(3) as u32;
    let (buf, addr, addrlen) = (a.addr(1), a.addr(4), a.addr(5));
    receive(m, a, a.u(2), flags, |m, data, size, from| {
        m.copy_out(buf, data)?;
        if let Some(from) = from {
            write_sockaddr(m, addr, addrlen, &sockaddr_bytes(from))?;
        }
        Ok(if flags & MSG_TRUNC != 0 {
            size
        } else {
            data.len()
        } as u64)
    })
}

/// The send both sendto and sendmsg make.
fn transmit(
    m: &mut Machine,
    a: &Args,
    data: &[u8],
    to: Option<(u64, u64)>,
    flags: u32,
) -> SysResult {
    let fd = a.int(0);
    let (family, stream) = with_socket(m, fd, |s, _| Ok((s.family, s.stream)))?;
    // TCP ignores a destination, as Linux does.
    let to = match to {
        Some((addr, len)) if addr != 0 && !stream => Some(read_sockaddr(m, addr, len, family)?),
        _ => None,
    };
    // One byte past the chunk tells an oversized datagram from a long stream write.
    if !stream && data.len() > MAX_DATAGRAM {
        return Err(Errno::EMSGSIZE);
    }
    let data = &data[..data.len().min(MAX_CHUNK as usize)];
    let (blocking, r) = with_socket(m, fd, |s, fl| {
        let blocking = fl & O_NONBLOCK == 0 && flags & MSG_DONTWAIT == 0;
        Ok((blocking, s.send(data, to).map(|n| n as u64)))
    })?;
    finish(m, a, r, blocking, flags & MSG_NOSIGNAL == 0)
}

/// sendto(fd, buf, len, flags, addr, addrlen).
pub fn sendto(m: &mut Machine, a: &Args) -> SysResult {
    let data = m.copy_in(a.addr(1), a.u(2).min(MAX_CHUNK + 1))?;
    transmit(m, a, &data, Some((a.addr(4), a.u(5))), a.u(3) as u32)
}

/// A guest `struct msghdr` (riscv64 layout).
pub(super) struct MsgHdr {
    pub name: u64,
    pub namelen: u64,
    pub iov: Vec<(u64, u64)>,
    pub control: u64,
    pub controllen: u64,
}

impl MsgHdr {
    /// Bytes the iovecs can take.
    pub fn room(&self) -> u64 {
        self.iov
            .iter()
            .fold(0u64, |t, (_, len)| t.saturating_add(*len))
    }
}

const MSGHDR_SIZE: u64 = 56;

pub(super) fn read_msghdr(m: &Machine, addr: u64) -> Result<MsgHdr, Errno> {
    let b = m.copy_in(addr, MSGHDR_SIZE)?;
    let b = In(&b);
    Ok(MsgHdr {
        name: b.u64(0),
        namelen: b.u32(8) as u64,
        iov: m.read_iovecs(b.u64(16), b.u64(24))?,
        control: b.u64(32),
        controllen: b.u64(40),
    })
}

/// sendmsg(fd, msg, flags): the iovecs gathered into one send; ancillary data
/// is ignored.
pub fn sendmsg(m: &mut Machine, a: &Args) -> SysResult {
    let h = read_msghdr(m, a.addr(1))?;
    let mut data = Vec::new();
    for (base, len) in &h.iov {
        let room = MAX_CHUNK + 1 - data.len() as u64;
        data.extend(m.copy_in(*base, (*len).min(room))?);
    }
    transmit(m, a, &data, Some((h.name, h.namelen)), a.u(2) as u32)
}

/// recvmsg(fd, msg, flags): scattered over the iovecs; no ancillary data.
pub fn recvmsg(m: &mut Machine, a: &Args) -> SysResult {
    let (msg, flags) = (a.addr(1), a.u(2) as u32);
    let h = read_msghdr(m, msg)?;
    let total = h.room();
    receive(m, a, total, flags, |m, data, size, from| {
        let mut rest = data;
        for (base, len) in &h.iov {
            let n = rest.len().min(*len as usize);
            m.copy_out(*base, &rest[..n])?;
            rest = &rest[n..];
        }
        let mut namelen = 0;
        if let (Some(from), true) = (from, h.name != 0) {
            let bytes = sockaddr_bytes(from);
            let n = bytes.len().min(h.namelen as usize);
            m.copy_out(h.name, &bytes[..n])?;
            namelen = bytes.len() as u32;
        }
        let msg_flags = if size > data.len() { MSG_TRUNC } else { 0 };
        m.copy_out(msg + 8, &namelen.to_le_bytes())?;
        m.copy_out(msg + 40, &0u64.to_le_bytes())?;
        m.copy_out(msg + 48, &msg_flags.to_le_bytes())?;
        Ok(if flags & MSG_TRUNC != 0 {
            size
        } else {
            data.len()
        } as u64)
    })
}

/// shutdown(fd, how).
pub fn shutdown(m: &mut Machine, a: &Args) -> SysResult {
    let how = match a.int(1) {
        0 => std::net::Shutdown::Read,
        1 => std::net::Shutdown::Write,
        2 => std::net::Shutdown::Both,
        _ => return Err(Errno::EINVAL),
    };
    let r = with_socket(m, a.int(0), |s, _| {
        if s.state != State::Connected {
            return Err(Errno::ENOTCONN);
        }
        if s.stream {
            s.host.shutdown(how)?;
        }
        s.shut_rd |= how != std::net::Shutdown::Write;
        s.shut_wr |= how != std::net::Shutdown::Read;
        s.gens.0 += 1;
        Ok(0)
    });
    thread::wake_io(m);
    r
}

/// getsockname(fd, addr, addrlen).
pub fn getsockname(m: &mut Machine, a: &Args) -> SysResult {
    let sa = with_socket(m, a.int(0), |s, _| {
        Ok(s.host
            .local_addr()
            .ok()
            .and_then(|sa| sa.as_socket())
            .unwrap_or_else(|| s.unspecified()))
    })?;
    write_sockaddr(m, a.addr(1), a.addr(2), &sockaddr_bytes(sa))?;
    Ok(0)
}

/// getpeername(fd, addr, addrlen).
pub fn getpeername(m: &mut Machine, a: &Args) -> SysResult {
    let sa = with_socket(m, a.int(0), |s, _| {
        if s.state != State::Connected {
            return Err(Errno::ENOTCONN);
        }
        s.host
            .peer_addr()
            .ok()
            .and_then(|sa| sa.as_socket())
            .ok_or(Errno::ENOTCONN)
    })?;
    write_sockaddr(m, a.addr(1), a.addr(2), &sockaddr_bytes(sa))?;
    Ok(0)
}

/// setsockopt(fd, level, name, value, len): integer options. The host applies
/// what it can; every accepted value is remembered for getsockopt.
pub fn setsockopt(m: &mut Machine, a: &Args) -> SysResult {
    let (fd, level, name, len) = (a.int(0), a.int(1), a.int(2), a.u(4));
    with_socket(m, fd, |_, _| Ok(()))?;
    if len < 4 {
        return Err(Errno::EINVAL);
    }
    let v = m.read_u32(a.addr(3))? as i32;
    let on = v != 0;
    with_socket(m, fd, |s, _| {
        let host = match (level, name) {
            (SOL_SOCKET, SO_REUSEADDR) => s.host.set_reuse_address(on),
            (SOL_SOCKET, SO_KEEPALIVE) => s.host.set_keepalive(on),
            (SOL_SOCKET, SO_BROADCAST) if !s.stream => s.host.set_broadcast(on),
            (SOL_SOCKET, SO_RCVBUF) => s.host.set_recv_buffer_size(v.max(0) as usize),
            (SOL_SOCKET, SO_SNDBUF) => s.host.set_send_buffer_size(v.max(0) as usize),
            (IPPROTO_TCP, TCP_NODELAY) if s.stream => s.host.set_tcp_nodelay(on),
            (IPPROTO_IPV6, IPV6_V6ONLY) if s.family == AF_INET6 => s.host.set_only_v6(on),
            (SOL_SOCKET, SO_BROADCAST | 15 /* SO_REUSEPORT */ | 13 /* SO_LINGER */) => Ok(()),
            (IPPROTO_IP, _) | (IPPROTO_IPV6, _) => Ok(()),
            _ => return Err(Errno::ENOPROTOOPT),
        };
        // An option the host lacks (wasi:sockets has no SO_REUSEADDR switch, for
        // one) still reads back as set; only a bad value is the guest's error.
        if let Err(e) = host {
            if Errno::from(e) == Errno::EINVAL {
                return Err(Errno::EINVAL);
            }
        }
        let stored = if matches!(name, SO_RCVBUF | SO_SNDBUF) && level == SOL_SOCKET {
            v.max(0).saturating_mul(2)
        } else {
            on as i32
        };
        s.remember(level, name, stored);
        Ok(0)
    })
}

/// getsockopt(fd, level, name, value, len): integer options.
pub fn getsockopt(m: &mut Machine, a: &Args) -> SysResult {
    let (fd, level, name, val, len_ptr) = (a.int(0), a.int(1), a.int(2), a.addr(3), a.addr(4));
    let v = with_socket(m, fd, |s, _| {
        let host_size = |r: std::io::Result<usize>| r.map(|n| n.min(i32::MAX as usize) as i32);
        Ok(match (level, name) {
            (SOL_SOCKET, SO_TYPE) => {
                if s.stream {
                    SOCK_STREAM as i32
                } else {
                    SOCK_DGRAM as i32
                }
            }
            (SOL_SOCKET, SO_DOMAIN) => s.family as i32,
            (SOL_SOCKET, SO_PROTOCOL) => {
                if s.stream {
                    IPPROTO_TCP
                } else {
                    IPPROTO_UDP
                }
            }
            (SOL_SOCKET, SO_ACCEPTCONN) => (s.state == State::Listening) as i32,
            (SOL_SOCKET, SO_ERROR) => match s.settle_connect() {
                Err(e) => e as i32,
                Ok(_) => match s.host.take_error() {
                    Ok(Some(e)) => Errno::from(e) as i32,
                    _ => 0,
                },
            },
            (SOL_SOCKET, SO_RCVBUF) => host_size(s.host.recv_buffer_size())
                .ok()
                .or(s.option(level, name))
                .unwrap_or(131072),
            (SOL_SOCKET, SO_SNDBUF) => host_size(s.host.send_buffer_size())
                .ok()
                .or(s.option(level, name))
                .unwrap_or(16384),
            (SOL_SOCKET, SO_REUSEADDR | SO_KEEPALIVE | SO_BROADCAST | 15 | 13)
            | (IPPROTO_IP | IPPROTO_IPV6, _) => s.option(level, name).unwrap_or(0),
            (IPPROTO_TCP, TCP_NODELAY) if s.stream => s.option(level, name).unwrap_or(0),
            _ => return Err(Errno::ENOPROTOOPT),
        })
    })?;
    let room = m.read_u32(len_ptr)? as i32;
    let room = usize::try_from(room).map_err(|_| Errno::EINVAL)?.min(4);
    m.copy_out(val, &v.to_le_bytes()[..room])?;
    m.copy_out(len_ptr, &(room as u32).to_le_bytes())?;
    Ok(0)
}

/// Reads from a socket for read()/readv().
pub fn read(s: &mut Socket, buf: &mut [u8]) -> Result<usize, Errno> {
    s.recv(buf, 0).map(|r| r.0)
}

/// Writes to a socket for write()/writev(); EPIPE raises SIGPIPE in the caller.
pub fn write(s: &mut Socket, data: &[u8]) -> Result<usize, Errno> {
    s.send(data, None)
}
