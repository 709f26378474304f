//! File-system calls: opening, stat, directories, links, the working directory.
//!
//! Guest paths are made absolute against the guest's cwd (or a directory fd) and
//! normalized; then, as with qemu's `-L`, an absolute path that exists under the
//! sysroot is taken from there. The result is handed to the host: natively the real
//! file system, in the component the WASI preopens (`wasmtime run --dir /::/` exposes
//! the whole tree; the native launcher does that by default).

use super::abi::{self, FileStat, Timespec};
use super::fd::{flags::*, Kind, OpenFile, PipeEnd};
use super::{Args, Errno, SysResult, Sysno};
use crate::machine::Machine;
use std::fs;

pub(super) const AT_FDCWD: i32 = -100;
pub(super) const AT_SYMLINK_NOFOLLOW: i32 = 0x100;
const AT_REMOVEDIR: i32 = 0x200;
const AT_EMPTY_PATH: i32 = 0x1000;

/// Lexically normalizes an absolute path (`.`, `..`, repeated `/`). A trailing `/`
/// is kept: it makes the host insist on a directory (`ENOTDIR` otherwise).
pub fn normalize(path: &str) -> String {
    let base = normalize_parts(path);
    if path.ends_with('/') && base != "/" {
        base + "/"
    } else {
        base
    }
}

fn normalize_parts(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl Machine {
    /// The absolute guest path for `path` relative to `dirfd`.
    pub fn resolve(&self, dirfd: i32, path: &str) -> Result<String, Errno> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        if path.starts_with('/') {
            return Ok(normalize(path));
        }
        let base = if dirfd == AT_FDCWD {
            self.os.cwd.clone()
        } else {
            let f = self.os.fds.get(dirfd)?;
            let f = f.borrow();
            if !matches!(f.kind, Kind::Dir { .. }) {
                return Err(Errno::ENOTDIR);
            }
            f.path.clone()
        };
        Ok(normalize(&format!("{base}/{path}")))
    }

    /// The host path for an absolute guest path (sysroot first, as qemu's `-L`).
    pub fn host_path(&self, guest: &str) -> String {
        if let Some(root) = &self.os.sysroot {
            let candidate = format!("{}{}", root.trim_end_matches('/'), guest);
            if fs::symlink_metadata(&candidate).is_ok() {
                return candidate;
            }
        }
        guest.to_string()
    }

    fn path_arg(&self, dirfd: i32, addr: u64) -> Result<(String, String), Errno> {
        let guest = self.resolve(dirfd, &self.read_path(addr)?)?;
        let host = self.host_path(&guest);
        Ok((guest, host))
    }
}

/// Converts host metadata to the Linux view.
pub fn file_stat(md: &fs::Metadata, host_path: &str) -> FileStat {
    let ft = md.file_type();
    let kind = if ft.is_dir() {
        0o040000
    } else if ft.is_symlink() {
        0o120000
    } else if ft.is_file() {
        0o100000
    } else {
        0o020000
    };
    let ts = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(Timespec::default(), Timespec::from_duration)
    };
    let mut st = FileStat {
        mode: kind
            | if ft.is_dir() {
                0o755
            } else if md.permissions().readonly() {
                0o444
            } else {
                0o644
            },
        nlink: 1,
        uid: super::UID as u32,
        gid: super::UID as u32,
        size: md.len(),
        blksize: 4096,
        blocks: md.len().div_ceil(512),
        atime: ts(md.accessed()),
        mtime: ts(md.modified()),
        ctime: ts(md.modified()),
        dev: 0x10301,
        ino: {
            // WASI exposes no inode numbers through std: derive a stable one.
            let mut h: u64 = 0xcbf29ce484222325;
            for b in host_path.bytes() {
                h = (h ^ b as u64).wrapping_mul(0x100000001b3);
            }
            h >> 1
        },
        rdev: 0,
    };
    host_stat_details(md, &mut st);
    st
}

/// Natively the host has the real numbers: use them.
#[cfg(unix)]
fn host_stat_details(md: &fs::Metadata, st: &mut FileStat) {
    use std::os::unix::fs::MetadataExt;
    st.dev = md.dev();
    st.ino = md.ino();
    st.mode = md.mode();
    st.nlink = md.nlink() as u32;
    st.uid = md.uid();
    st.gid = md.gid();
    st.rdev = md.rdev();
    st.blksize = md.blksize() as u32;
    st.blocks = md.blocks();
    st.ctime = Timespec {
        sec: md.ctime(),
        nsec: md.ctime_nsec(),
    };
}

#[cfg(not(unix))]
fn host_stat_details(_: &fs::Metadata, _: &mut FileStat) {}

/// Stat of emulated files (`/dev/null`, `/proc/...`, stdio, memfds, ...).
fn virtual_stat(kind: &Kind) -> FileStat {
    let mode = match kind {
        Kind::Mem(f) => {
            return FileStat {
                mode: 0o100777,
                size: f.data.len() as u64,
                blocks: (f.data.len() as u64).div_ceil(512),
                ..virtual_stat(&Kind::Null)
            }
        }
        Kind::Unix(_) | Kind::Net(_) => 0o140777,
        Kind::Pipe(_) | Kind::Fifo { .. } | Kind::Sink(_) => 0o010600,
        Kind::Null | Kind::Zero | Kind::Full | Kind::Random => 0o020666,
        // A terminal is a character device; anything else is shown as a pipe, which
        // makes libc pick full buffering as it would for a redirected stream.
        k @ (Kind::Stdin | Kind::Stdout | Kind::Stderr) if is_tty(k) => 0o020620,
        Kind::Stdin | Kind::Stdout | Kind::Stderr => 0o010600,
        Kind::Bytes(..) => 0o100444,
        _ => 0o100644,
    };
    // Like Linux, /proc files report size 0.
    FileStat {
        mode,
        nlink: 1,
        blksize: 4096,
        uid: super::UID as u32,
        gid: super::UID as u32,
        ..Default::default()
    }
}

pub(super) fn is_tty(kind: &Kind) -> bool {
    use std::io::IsTerminal;
    match kind {
        Kind::Stdin => std::io::stdin().is_terminal(),
        Kind::Stdout => std::io::stdout().is_terminal(),
        Kind::Stderr => std::io::stderr().is_terminal(),
        _ => false,
    }
}

/// The descriptor a path names through `/proc`'s links: `/proc/self/fd/N` (also
/// `thread-self` and the own pid), `/dev/fd/N`, and `/dev/stdin`, `/dev/stdout`,
/// `/dev/stderr` (links to fds 0, 1, 2). Bash's process substitution hands such
/// paths (`/dev/fd/63`) to the commands it runs.
fn fd_link(m: &Machine, guest: &str) -> Option<i32> {
    let n = match guest {
        "/dev/stdin" => "0",
        "/dev/stdout" => "1",
        "/dev/stderr" => "2",
        _ => guest
            .strip_prefix("/dev/fd/")
            .or_else(|| super::procfs::own(m, guest)?.strip_prefix("fd/"))?,
    };
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// Whether `guest` names the directory of the process's descriptors.
fn is_fd_dir(m: &Machine, guest: &str) -> bool {
    let guest = guest.trim_end_matches('/');
    guest == "/dev/fd" || super::procfs::own(m, guest) == Some("fd")
}

/// Emulated device and `/proc` files: `Some` if `guest` names one.
fn open_virtual(m: &Machine, guest: &str) -> Option<Kind> {
    Some(match guest {
        "/dev/null" => Kind::Null,
        "/dev/zero" => Kind::Zero,
        "/dev/full" => Kind::Full,
        "/dev/random" | "/dev/urandom" => Kind::Random,
        _ => return super::procfs::open(m, guest).map(|data| Kind::Bytes(data, 0)),
    })
}

pub fn openat(m: &mut Machine, a: &Args) -> SysResult {
    let fl = a.u(2) as u32;
    let mut guest = m.resolve(a.int(0), &m.read_path(a.addr(1))?)?;
    let cloexec = fl & O_CLOEXEC != 0;
    let status = fl & !(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_NOFOLLOW | O_DIRECTORY);
    if let Some(fd) = fd_link(m, &guest) {
        let f = m.os.fds.get(fd).map_err(|_| Errno::ENOENT)?;
        if !matches!(f.borrow().kind, Kind::File(_) | Kind::Dir { .. }) {
            // Pipes, sockets, terminals, devices: Linux opens the same object; here
            // the same description.
            return Ok(m.os.fds.insert(f, cloexec)? as u64);
        }
        // A file or directory opens again by its path: its own offset and mode.
        guest = f.borrow().path.clone();
    }
    if guest == "/dev/tty" {
        // The controlling terminal: the one the host's stdin (or stdout) is, as
        // the host's own /dev/tty is not reachable through WASI.
        let kind = match () {
            _ if is_tty(&Kind::Stdin) => Kind::Stdin,
            _ if is_tty(&Kind::Stdout) => Kind::Stdout,
            _ => return Err(Errno::ENXIO),
        };
        return Ok(m
            .os
            .fds
            .insert(OpenFile::new(kind, guest, status), cloexec)? as u64);
    }
    if let Some(kind) = open_virtual(m, &guest) {
        return Ok(m
            .os
            .fds
            .insert(OpenFile::new(kind, guest, status), cloexec)? as u64);
    }
    if is_fd_dir(m, &guest) {
        // The guest's descriptors, not the host's (the emulator's own /proc),
        // this directory's own included.
        let kind = Kind::Dir {
            entries: None,
            pos: 0,
        };
        let dir = OpenFile::new(kind, guest, status);
        let new = m.os.fds.insert(dir.clone(), cloexec)?;
        let mut entries = vec![(".".to_string(), 4, 1), ("..".to_string(), 4, 2)];
        entries.extend(
            m.os.fds
                .iter()
                .map(|(fd, _)| (fd.to_string(), 10, 3 + fd as u64)),
        );
        if let Kind::Dir { entries: e, .. } = &mut dir.borrow_mut().kind {
            *e = Some(entries);
        }
        return Ok(new as u64);
    }
    if fl & O_TMPFILE == O_TMPFILE {
        return Err(Errno::EOPNOTSUPP);
    }
    if let Some(r) = super::unix::open(m, a, &guest, fl) {
        return r;
    }
    let host = m.host_path(&guest);
    let existing = fs::metadata(&host);
    if let Ok(md) = &existing {
        if md.is_dir() {
            if fl & O_ACCMODE != 0 || fl & O_CREAT != 0 {
                return Err(Errno::EISDIR);
            }
            let kind = Kind::Dir {
                entries: None,
                pos: 0,
            };
            return Ok(m
                .os
                .fds
                .insert(OpenFile::new(kind, guest, status), cloexec)?
                as u64);
        }
        if fl & O_CREAT != 0 && fl & O_EXCL != 0 {
            return Err(Errno::EEXIST);
        }
    }
    if fl & O_DIRECTORY != 0 {
        return Err(if existing.is_ok() {
            Errno::ENOTDIR
        } else {
            Errno::ENOENT
        });
    }
    let acc = fl & O_ACCMODE;
    let mut opts = fs::OpenOptions::new();
    opts.read(acc != O_WRONLY || fl & O_PATH != 0)
        .write(acc != 0 && fl & O_APPEND == 0)
        .append(acc != 0 && fl & O_APPEND != 0)
        .create(fl & O_CREAT != 0 && acc != 0)
        .create_new(fl & O_CREAT != 0 && fl & O_EXCL != 0 && acc != 0)
        .truncate(fl & O_TRUNC != 0 && acc != 0);
    set_create_mode(&mut opts, (a.u(3) as u32) & !m.os.umask);
    if fl & O_CREAT != 0 && acc == 0 && existing.is_err() {
        // O_CREAT|O_RDONLY creates the file too.
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&host)?;
    }
    let file = opts.open(&host)?;
    Ok(m.os
        .fds
        .insert(OpenFile::new(Kind::File(file), guest, status), cloexec)? as u64)
}

#[cfg(unix)]
pub(super) fn set_create_mode(o: &mut fs::OpenOptions, mode: u32) {
    use std::os::unix::fs::OpenOptionsExt;
    o.mode(mode);
}

#[cfg(not(unix))]
pub(super) fn set_create_mode(_: &mut fs::OpenOptions, _: u32) {}

pub fn close(m: &mut Machine, a: &Args) -> SysResult {
    m.os.fds.close(a.int(0))?;
    // Closing a pipe end may end a reader's wait (EOF) or a writer's (EPIPE).
    super::thread::wake_io(m);
    Ok(0)
}

pub(super) fn stat_path(m: &Machine, dirfd: i32, addr: u64, flags: i32) -> Result<FileStat, Errno> {
    let path = m.read_path(addr)?;
    if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
        return stat_fd(m, dirfd);
    }
    let guest = m.resolve(dirfd, &path)?;
    if let Some(fd) = fd_link(m, &guest) {
        if flags & AT_SYMLINK_NOFOLLOW != 0 {
            return Ok(FileStat {
                mode: 0o120777,
                ..virtual_stat(&Kind::Null)
            });
        }
        return stat_fd(m, fd).map_err(|_| Errno::ENOENT);
    }
    if let Some(k) = open_virtual(m, &guest) {
        return Ok(virtual_stat(&k));
    }
    let host = m.host_path(&guest);
    let md = if flags & AT_SYMLINK_NOFOLLOW != 0 {
        fs::symlink_metadata(&host)?
    } else {
        fs::metadata(&host)?
    };
    let mut st = file_stat(&md, &host);
    if let Some(ty) = super::unix::file_type(m, &guest).filter(|_| md.is_file()) {
        // The placeholder of a socket or FIFO: show what it stands for.
        st.mode = ty | st.mode & 0o7777;
        st.size = 0;
        st.blocks = 0;
    }
    Ok(st)
}

pub(super) fn stat_fd(m: &Machine, fd: i32) -> Result<FileStat, Errno> {
    let f = m.os.fds.get(fd)?;
    let f = f.borrow();
    match &f.kind {
        Kind::File(file) => Ok(file_stat(&file.metadata()?, &f.path)),
        Kind::Dir { .. } => {
            let host = m.host_path(&f.path);
            Ok(file_stat(&fs::metadata(&host)?, &host))
        }
        k @ (Kind::Pipe(PipeEnd { pipe, .. })
        | Kind::Fifo {
            rx: PipeEnd { pipe, .. },
            ..
        }) => Ok(FileStat {
            ino: pipe.borrow().ino,
            ..virtual_stat(k)
        }),
        k @ Kind::Unix(s) => Ok(FileStat {
            ino: super::unix::ino(s),
            ..virtual_stat(k)
        }),
        k => Ok(virtual_stat(k)),
    }
}

pub fn newfstatat(m: &mut Machine, a: &Args) -> SysResult {
    let st = stat_path(m, a.int(0), a.addr(1), a.int(3))?;
    m.copy_out(a.addr(2), &abi::stat_bytes(&st))?;
    Ok(0)
}

pub fn fstat(m: &mut Machine, a: &Args) -> SysResult {
    let st = stat_fd(m, a.int(0))?;
    m.copy_out(a.addr(1), &abi::stat_bytes(&st))?;
    Ok(0)
}

pub fn statx(m: &mut Machine, a: &Args) -> SysResult {
    let st = stat_path(m, a.int(0), a.addr(1), a.int(2))?;
    m.copy_out(a.addr(4), &abi::statx_bytes(&st))?;
    Ok(0)
}

pub fn getdents64(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    let mut f = f.borrow_mut();
    let host = m.host_path(&f.path);
    let Kind::Dir { entries, pos } = &mut f.kind else {
        return Err(Errno::ENOTDIR);
    };
    if entries.is_none() {
        let mut list = vec![(".".to_string(), 4u8, 1u64), ("..".to_string(), 4, 2)];
        for e in fs::read_dir(&host)? {
            let e = e?;
            let ft = e.file_type()?;
            let t = if ft.is_dir() {
                4
            } else if ft.is_symlink() {
                10
            } else if ft.is_file() {
                8
            } else {
                0
            };
            let name = e.file_name().to_string_lossy().into_owned();
            let ino = e
                .metadata()
                .map(|md| file_stat(&md, &format!("{host}/{name}")).ino)
                .unwrap_or(3);
            list.push((name, t, ino));
        }
        *entries = Some(list);
    }
    let list = entries.as_ref().map_or(&[][..], |v| &v[..]);
    let cap = a.u(2) as usize;
    let mut out = Vec::new();
    while let Some((name, t, ino)) = list.get(*pos) {
        let reclen = (19 + name.len() + 1).next_multiple_of(8);
        if out.len() + reclen > cap {
            break;
        }
        let mut rec = abi::Out::new(reclen);
        rec.u64(0, *ino)
            .u64(8, (*pos + 1) as u64)
            .u16(16, reclen as u16);
        rec.0[18] = *t;
        rec.bytes(19, name.as_bytes());
        out.extend_from_slice(&rec.0);
        *pos += 1;
    }
    if out.is_empty() && *pos < list.len() {
        return Err(Errno::EINVAL);
    }
    drop(f);
    m.copy_out(a.addr(1), &out)?;
    Ok(out.len() as u64)
}

pub fn readlinkat(m: &mut Machine, a: &Args) -> SysResult {
    let guest = m.resolve(a.int(0), &m.read_path(a.addr(1))?)?;
    let target = if guest == "/proc/self/exe" {
        m.os.exe.clone()
    } else if let Some(fd) = fd_link(m, &guest) {
        if guest.starts_with("/proc/") {
            m.os.fds
                .get(fd)
                .map_err(|_| Errno::ENOENT)?
                .borrow()
                .path
                .clone()
        } else {
            format!("/proc/self/fd/{fd}")
        }
    } else if guest == "/dev/fd" {
        "/proc/self/fd".into()
    } else {
        fs::read_link(m.host_path(&guest))?
            .to_string_lossy()
            .into_owned()
    };
    let n = target.len().min(a.u(3) as usize);
    m.copy_out(a.addr(2), &target.as_bytes()[..n])?;
    Ok(n as u64)
}

pub fn faccessat(m: &mut Machine, a: &Args, flags: i32) -> SysResult {
    let path = m.read_path(a.addr(1))?;
    if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
        return stat_fd(m, a.int(0)).map(|_| 0);
    }
    let guest = m.resolve(a.int(0), &path)?;
    if let Some(fd) = fd_link(m, &guest) {
        return m.os.fds.get(fd).map(|_| 0).map_err(|_| Errno::ENOENT);
    }
    if open_virtual(m, &guest).is_some() {
        return Ok(0);
    }
    // The host's access() answers for the host user natively; wasi-libc's checks
    // existence (WASI has no permission bits).
    let host = std::ffi::CString::new(m.host_path(&guest)).map_err(|_| Errno::EINVAL)?;
    // SAFETY: `host` is a valid NUL-terminated string for the duration of the call.
    if unsafe { access(host.as_ptr(), a.int(2) & 7) } == 0 {
        Ok(0)
    } else {
        Err(std::io::Error::last_os_error().into())
    }
}

pub fn mkdirat(m: &mut Machine, a: &Args) -> SysResult {
    let (_, host) = m.path_arg(a.int(0), a.addr(1))?;
    fs::create_dir(&host)?;
    Ok(0)
}

pub fn unlinkat(m: &mut Machine, a: &Args) -> SysResult {
    let (guest, host) = m.path_arg(a.int(0), a.addr(1))?;
    if a.int(2) & AT_REMOVEDIR != 0 {
        fs::remove_dir(&host)?;
    } else {
        if fs::symlink_metadata(&host)?.is_dir() {
            return Err(Errno::EISDIR);
        }
        fs::remove_file(&host)?;
        super::unix::forget(m, &guest);
    }
    Ok(0)
}

pub fn renameat2(m: &mut Machine, a: &Args) -> SysResult {
    const RENAME_NOREPLACE: u64 = 1;
    let (guest_from, from) = m.path_arg(a.int(0), a.addr(1))?;
    let (guest_to, to) = m.path_arg(a.int(2), a.addr(3))?;
    match a.u(4) {
        0 => {}
        RENAME_NOREPLACE if fs::symlink_metadata(&to).is_ok() => return Err(Errno::EEXIST),
        RENAME_NOREPLACE => {}
        _ => return Err(Errno::EINVAL),
    }
    fs::rename(&from, &to)?;
    super::unix::rename(m, &guest_from, &guest_to);
    Ok(0)
}

/// Calls a libc path function: glibc natively, wasi-libc (which maps it onto the
/// WASI preopens) in the component; std has no portable symlink or hard link.
fn libc_paths(
    f: unsafe extern "C" fn(*const std::ffi::c_char, *const std::ffi::c_char) -> i32,
    a: &str,
    b: &str,
) -> SysResult {
    let a = std::ffi::CString::new(a).map_err(|_| Errno::EINVAL)?;
    let b = std::ffi::CString::new(b).map_err(|_| Errno::EINVAL)?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call,
    // and `f` is one of the libc functions declared below with their C signatures.
    if unsafe { f(a.as_ptr(), b.as_ptr()) } == 0 {
        Ok(0)
    } else {
        Err(std::io::Error::last_os_error().into())
    }
}

unsafe extern "C" {
    fn access(path: *const std::ffi::c_char, mode: i32) -> i32;
    fn symlink(target: *const std::ffi::c_char, linkpath: *const std::ffi::c_char) -> i32;
    fn link(old: *const std::ffi::c_char, new: *const std::ffi::c_char) -> i32;
}

pub fn symlinkat(m: &mut Machine, a: &Args) -> SysResult {
    let target = m.read_path(a.addr(0))?;
    let (_, host) = m.path_arg(a.int(1), a.addr(2))?;
    libc_paths(symlink, &target, &host)
}

pub fn linkat(m: &mut Machine, a: &Args) -> SysResult {
    let (_, old) = m.path_arg(a.int(0), a.addr(1))?;
    let (_, new) = m.path_arg(a.int(2), a.addr(3))?;
    libc_paths(link, &old, &new)
}

pub fn ftruncate(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    let mut f = f.borrow_mut();
    let len = u64::try_from(a.u(1) as i64).map_err(|_| Errno::EINVAL)?;
    match &mut f.kind {
        Kind::File(file) => Ok(file.set_len(len).map(|_| 0)?),
        Kind::Mem(mem) => mem.set_len(len).map(|_| 0),
        _ => Err(Errno::EINVAL),
    }
}

pub fn truncate(m: &mut Machine, a: &Args) -> SysResult {
    let (_, host) = m.path_arg(AT_FDCWD, a.addr(0))?;
    let len = u64::try_from(a.u(1) as i64).map_err(|_| Errno::EINVAL)?;
    fs::OpenOptions::new()
        .write(true)
        .open(&host)?
        .set_len(len)?;
    Ok(0)
}

pub fn fsync(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    if let Kind::File(file) = &f.borrow().kind {
        file.sync_all()?;
    }
    Ok(0)
}

pub fn getcwd(m: &mut Machine, a: &Args) -> SysResult {
    let mut cwd = m.os.cwd.clone().into_bytes();
    cwd.push(0);
    if cwd.len() as u64 > a.u(1) {
        return Err(Errno::ERANGE);
    }
    m.copy_out(a.addr(0), &cwd)?;
    Ok(cwd.len() as u64)
}

pub fn chdir(m: &mut Machine, a: &Args) -> SysResult {
    let (guest, host) = m.path_arg(AT_FDCWD, a.addr(0))?;
    if !fs::metadata(&host)?.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    m.os.cwd = guest;
    Ok(0)
}

pub fn fchdir(m: &mut Machine, a: &Args) -> SysResult {
    let f = m.os.fds.get(a.int(0))?;
    let f = f.borrow();
    if !matches!(f.kind, Kind::Dir { .. }) {
        return Err(Errno::ENOTDIR);
    }
    m.os.cwd = f.path.clone();
    Ok(0)
}

/// chmod/chown family: WASI has no owners or mode bits. Natively the mode change is
/// applied; ownership changes to the current owner succeed, others are EPERM.
pub fn chmod_like(m: &mut Machine, a: &Args, s: Sysno) -> SysResult {
    match s {
        // fchmodat2's flags (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) are not honoured:
        // WASI cannot change modes of links, and std follows them.
        Sysno::fchmodat | Sysno::fchmodat2 => {
            let (_, host) = m.path_arg(a.int(0), a.addr(1))?;
            set_mode(&host, a.u(2) as u32)
        }
        Sysno::fchmod => {
            let path = m.os.fds.get(a.int(0))?.borrow().path.clone();
            set_mode(&m.host_path(&path), a.u(1) as u32)
        }
        _ => Ok(0),
    }
}

#[cfg(unix)]
fn set_mode(host: &str, mode: u32) -> SysResult {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(host, fs::Permissions::from_mode(mode & 0o7777))?;
    Ok(0)
}

#[cfg(not(unix))]
fn set_mode(host: &str, _: u32) -> SysResult {
    fs::metadata(host)?;
    Ok(0)
}

pub fn utimensat(m: &mut Machine, a: &Args) -> SysResult {
    // Timestamps cannot be set through std; accept the call for existing files.
    if a.addr(1) != 0 {
        stat_path(m, a.int(0), a.addr(1), a.int(3))?;
    }
    Ok(0)
}

pub fn statfs(m: &mut Machine, a: &Args, s: Sysno) -> SysResult {
    if s == Sysno::statfs {
        stat_path(m, AT_FDCWD, a.addr(0), 0)?;
    } else {
        m.os.fds.get(a.int(0))?;
    }
    // struct statfs (120 bytes): an ext4-like file system with plenty of room.
    let mut o = abi::Out::new(120);
    o.u64(0, 0xef53)
        .u64(8, 4096)
        .u64(16, 1 << 24)
        .u64(24, 1 << 23)
        .u64(32, 1 << 23);
    o.u64(40, 1 << 20)
        .u64(48, 1 << 19)
        .u64(64, 255)
        .u64(72, 4096);
    m.copy_out(a.addr(1), &o.0)?;
    Ok(0)
}
