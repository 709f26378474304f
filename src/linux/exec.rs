//! `execve`: a process replaces its program.
//!
//! Only riscv64 ELF executables (loaded as the first program is, their dynamic
//! linker looked up under the sysroot) and `#!` scripts whose interpreter is one
//! are run, inside this machine: nothing is ever handed to the host, whatever the
//! file is (a host executable fails with ENOEXEC). Paths resolve as `open`'s do
//! (the sysroot first for absolute paths, then the preopened host files);
//! `/proc/self/exe` is the running program. Everything that can fail is checked
//! before the old program is destroyed; a failure after that point (an image
//! that does not fit, say) kills the process with SIGSEGV, as on Linux.

use super::fs::AT_FDCWD;
use super::signal::SIGSEGV;
use super::{procs, Args, Errno, ExitStatus, SysResult};
use crate::hart::Hart;
use crate::machine::Machine;

/// Most bytes of argument and environment strings, their pointers included
/// (Linux allows a quarter of the 8 MiB stack limit).
const MAX_ARG_BYTES: usize = 2 << 20;
/// Longest single argument or environment string (Linux's `MAX_ARG_STRLEN`).
const MAX_ARG_STRLEN: usize = 32 * 4096;
/// Interpreters of interpreters a `#!` chain may go through (ELOOP beyond).
const MAX_SCRIPT_DEPTH: usize = 4;
/// Bytes of a `#!` line that count (Linux's `BINPRM_BUF_SIZE`).
const SHEBANG_MAX: usize = 256;

/// execve(path, argv, envp).
pub fn execve(m: &mut Machine, a: &Args) -> SysResult {
    let name = m.read_path(a.addr(0))?;
    exec(m, name, a.addr(1), a.addr(2))
}

/// execveat(dirfd, path, argv, envp, flags): the path relative to `dirfd`, or with
/// `AT_EMPTY_PATH` and an empty path the file `dirfd` names.
pub fn execveat(m: &mut Machine, a: &Args) -> SysResult {
    const AT_SYMLINK_NOFOLLOW: u64 = 0x100;
    const AT_EMPTY_PATH: u64 = 0x1000;
    let flags = a.u(4);
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = m.read_path(a.addr(1))?;
    let name = if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
        m.os.fds.get(a.int(0))?.borrow().path.clone()
    } else {
        let guest = m.resolve(a.int(0), &path)?;
        let link = std::fs::symlink_metadata(m.host_path(&guest));
        if flags & AT_SYMLINK_NOFOLLOW != 0 && link.is_ok_and(|md| md.is_symlink()) {
            return Err(Errno::ELOOP);
        }
        guest
    };
    exec(m, name, a.addr(2), a.addr(3))
}

/// Replaces the process image with program `name` (`#!` scripts through their
/// interpreter), with the argument and environment arrays at `argv` and `envp`.
fn exec(m: &mut Machine, mut name: String, argv: u64, envp: u64) -> SysResult {
    let mut budget = MAX_ARG_BYTES;
    let mut argv = read_strings(m, argv, &mut budget)?;
    let envp = read_strings(m, envp, &mut budget)?;
    for _ in 0..=MAX_SCRIPT_DEPTH {
        let (guest, bytes) = open_executable(m, &name)?;
        let Some((interp, arg)) = shebang(&bytes)? else {
            let interp = crate::loader::interpreter(&bytes).map_err(|_| Errno::ENOEXEC)?;
            if let Some(path) = interp {
                std::fs::metadata(m.host_path(&path)).map_err(|_| Errno::ENOENT)?;
            }
            replace_image(m, &name, &guest, &bytes, argv, envp);
            return Ok(0);
        };
        // `interp [arg] script args...`: the script's path replaces argv[0].
        let mut args = vec![interp.clone().into_bytes()];
        args.extend(arg);
        args.push(name.into_bytes());
        args.extend(argv.into_iter().skip(1));
        argv = args;
        name = interp;
    }
    Err(Errno::ELOOP)
}

/// The NUL-terminated strings of the pointer array at `addr` (none if it is 0),
/// charged against `budget`.
fn read_strings(m: &Machine, addr: u64, budget: &mut usize) -> Result<Vec<Vec<u8>>, Errno> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    loop {
        let at = addr.wrapping_add(8 * out.len() as u64);
        let p = m.read_u64(at)?;
        if p == 0 {
            return Ok(out);
        }
        let s = m.mem.read_cstr(p, MAX_ARG_STRLEN).ok_or_else(|| {
            if m.mem.check(p, 1, crate::mem::R) {
                Errno::E2BIG
            } else {
                Errno::EFAULT
            }
        })?;
        *budget = budget.checked_sub(s.len() + 9).ok_or(Errno::E2BIG)?;
        out.push(s);
    }
}

/// The guest path and contents of the regular file `name` names.
fn open_executable(m: &Machine, name: &str) -> Result<(String, Vec<u8>), Errno> {
    let mut guest = m.resolve(AT_FDCWD, name)?;
    if guest == "/proc/self/exe" || guest == format!("/proc/{}/exe", m.os.pid) {
        guest = m.os.exe.clone();
    }
    let host = m.host_path(&guest);
    let md = std::fs::metadata(&host)?;
    if !md.is_file() {
        return Err(Errno::EACCES);
    }
    // WASI has no mode bits; natively a file must be executable, as on Linux.
    if cfg!(unix) && super::fs::file_stat(&md, &host).mode & 0o111 == 0 {
        return Err(Errno::EACCES);
    }
    if md.len() > m.mem.size() {
        return Err(Errno::ENOEXEC);
    }
    Ok((guest, std::fs::read(&host)?))
}

/// The interpreter of a `#!` script and its optional argument.
type Shebang = (String, Option<Vec<u8>>);

/// The `#!` line of a script, or `None` if the file is not a script.
fn shebang(bytes: &[u8]) -> Result<Option<Shebang>, Errno> {
    let Some(rest) = bytes.strip_prefix(b"#!") else {
        return Ok(None);
    };
    let line = &rest[..rest.len().min(SHEBANG_MAX - 2)];
    let line = match line.iter().position(|&b| b == b'\n') {
        Some(n) => &line[..n],
        // A line longer than the buffer would be cut: Linux refuses it.
        None if rest.len() > line.len() => return Err(Errno::ENOEXEC),
        None => line,
    };
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let line = line.trim_ascii();
    let end = line.iter().position(blank).unwrap_or(line.len());
    let (interp, arg) = line.split_at(end);
    if interp.is_empty() {
        return Err(Errno::ENOEXEC);
    }
    let interp = String::from_utf8(interp.to_vec()).map_err(|_| Errno::ENOEXEC)?;
    let arg = arg.trim_ascii();
    Ok(Some((interp, (!arg.is_empty()).then(|| arg.to_vec()))))
}

/// The point of no return: the process drops its address space, its other
/// threads, its `FD_CLOEXEC` descriptors and its signal handlers, and starts
/// `bytes` (a checked riscv64 executable).
fn replace_image(
    m: &mut Machine,
    name: &str,
    guest: &str,
    bytes: &[u8],
    argv: Vec<Vec<u8>>,
    envp: Vec<Vec<u8>>,
) {
    if m.os.vfork_parent.is_some() {
        procs::release_vfork(m);
    } else {
        m.mem.clear();
        m.code.flush(&mut m.mem);
    }
    let os = &mut m.os;
    os.threads.queue.clear();
    os.threads.current = os.pid;
    os.signals.thread = os.pid;
    // Signals sent to the threads that are gone go with them.
    let pid = os.pid;
    os.signals
        .pending
        .retain(|p| p.tid.is_none_or(|t| t == pid));
    os.waits = Default::default();
    os.clear_child_tid = 0;
    os.signals.reset_for_exec();
    os.fds.close_on_exec();
    m.hart = Hart {
        instret: m.hart.instret,
        ..Hart::default()
    };
    if let Err(e) = m.load_image(name, guest, bytes, argv, envp) {
        eprintln!("mvvm: execve: {e}");
        m.os.exit = Some(ExitStatus::Signaled(SIGSEGV));
    }
}
