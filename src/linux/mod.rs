//! The Linux personality: system calls with riscv64 numbers and Linux semantics,
//! implemented on top of what the host offers (WASI in the component, std natively).
//!
//! [`syscall`] is the one dispatch point: it reads the number and arguments from the
//! hart, routes to a handler in the subsystem file (`fs`, `xattr`, `io`, `mm`,
//! `time`, `timer`, `process`, `exec`, `identity`, `privileged`, `signal`,
//! `thread`, `system`, `poll`, `event`, `net`, `unix`; the process table is `procs`),
//! writes the result (or `-errno`) to `a0`
//! and does `-strace` logging. Handlers take typed [`Args`] and return
//! `Result<u64, Errno>`.

pub mod abi;
pub mod errno;
pub mod fd;
mod fs;
pub mod identity;
pub use fs::normalize as fs_normalize;
pub(crate) mod event;
mod io;
mod mm;
pub use mm::map_anonymous;
mod exec;
mod net;
pub mod nr;
pub(crate) mod poll;
mod privileged;
mod process;
mod procfs;
pub mod procs;
pub mod signal;
pub mod system;
pub mod thread;
mod time;
mod timer;
mod unix;
mod xattr;

pub use errno::Errno;
pub use nr::Sysno;

use crate::machine::Machine;
use std::collections::HashSet;

/// Result of a system call handler.
pub type SysResult = Result<u64, Errno>;

/// The six argument registers of a system call.
#[derive(Clone, Copy, Debug)]
pub struct Args(pub [u64; 6]);

impl Args {
    /// Argument `i` as a raw register value.
    pub fn u(&self, i: usize) -> u64 {
        self.0[i]
    }
    /// Argument `i` as a C `int`.
    pub fn int(&self, i: usize) -> i32 {
        self.0[i] as i32
    }
    /// Argument `i` as a guest address.
    pub fn addr(&self, i: usize) -> u64 {
        self.0[i]
    }
}

/// How the guest process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// `exit`/`exit_group` with this status (low 8 bits are what a parent sees).
    Exited(i32),
    /// Killed by this signal.
    Signaled(u8),
}

impl ExitStatus {
    /// The status a shell reports: the exit code, or 128 + signal.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Exited(c) => c as u8,
            ExitStatus::Signaled(s) => 128 + s,
        }
    }
}

/// Per-process operating-system state.
#[derive(Debug)]
pub struct Os {
    /// Open file descriptors.
    pub fds: fd::FdTable,
    /// Current working directory (absolute, normalized guest path).
    pub cwd: String,
    /// Guest path of the running executable (`/proc/self/exe`).
    pub exe: String,
    /// Directory that absolute guest paths are looked up in first (`-L`).
    pub sysroot: Option<String>,
    /// File mode creation mask.
    pub umask: u32,
    /// Signal dispositions and mask.
    pub signals: signal::Signals,
    /// `set_tid_address` pointer.
    pub clear_child_tid: u64,
    /// Set when the process has ended.
    pub exit: Option<ExitStatus>,
    /// `-strace`: log every system call.
    pub strace: bool,
    /// Unknown system calls already reported.
    pub reported: HashSet<u64>,
    /// `prctl(PR_SET_NAME)` value.
    pub comm: [u8; 16],
    /// Command line of the process (`/proc/self/cmdline`).
    pub argv: Vec<Vec<u8>>,
    /// Initial environment (`/proc/self/environ`).
    pub envp: Vec<Vec<u8>>,
    /// Auxiliary vector given at start (`/proc/self/auxv`).
    pub auxv: Vec<(u64, u64)>,
    /// The other guest threads and the running one's id.
    pub threads: thread::Threads,
    /// Poll-family calls parked until a descriptor changes.
    pub(crate) waits: poll::Waits,
    /// Standard streams in memory, for embedders; `None`: the host's.
    pub stdio: Option<fd::MemoryStdio>,
    /// Niceness, scheduling policy and the like ([`identity::Standing`]).
    pub standing: identity::Standing,
    /// Process id (the first process has [`PID`]).
    pub pid: u64,
    /// Parent's process id (1 when the parent is outside the emulator or gone).
    pub ppid: u64,
    /// Process group.
    pub pgid: u64,
    /// Session.
    pub sid: u64,
    /// The signal the parent gets when this process ends (`SIGCHLD` normally).
    pub exit_signal: Option<u8>,
    /// The parent whose address space this vfork child borrows until it execs or
    /// ends (see [`procs`]).
    pub vfork_parent: Option<u64>,
    /// Stopped by a stop signal (job control) until a `SIGCONT` or `SIGKILL`:
    /// none of its threads runs.
    pub stopped: bool,
    /// A stop or continue its parent has not been told of by `wait4`/`waitid`
    /// (`WUNTRACED`/`WSTOPPED`, `WCONTINUED`).
    pub job_event: Option<procs::JobEvent>,
}

impl Os {
    /// Fresh state with standard streams open.
    pub fn new(cwd: String, exe: String, sysroot: Option<String>) -> Os {
        let mut os = Os {
            fds: fd::FdTable::with_stdio(),
            cwd,
            exe: String::new(),
            sysroot,
            umask: 0o022,
            signals: signal::Signals::default(),
            clear_child_tid: 0,
            exit: None,
            strace: false,
            reported: HashSet::new(),
            argv: Vec::new(),
            envp: Vec::new(),
            auxv: Vec::new(),
            threads: thread::Threads::default(),
            waits: poll::Waits::default(),
            comm: [0; 16],
            stdio: None,
            standing: identity::Standing::default(),
            pid: PID,
            ppid: 1,
            // The program leads its process group (as a shell's job does), in a
            // session it does not lead.
            pgid: PID,
            sid: 1,
            exit_signal: None,
            vfork_parent: None,
            stopped: false,
            job_event: None,
        };
        os.set_exe(exe);
        os
    }

    /// Gives the guest standard streams in memory (see [`fd::MemoryStdio`]): `stdin`
    /// to read, and buffers for what it writes.
    pub fn use_memory_stdio(&mut self, stdin: Vec<u8>) {
        let stdio = fd::MemoryStdio {
            stdin,
            ..Default::default()
        };
        self.fds.use_memory_stdio(&stdio);
        self.stdio = Some(stdio);
    }

    /// Records the running executable; its file name becomes the thread name, as
    /// `execve` does on Linux (at most 15 bytes).
    pub fn set_exe(&mut self, exe: String) {
        let base = exe.rsplit('/').next().unwrap_or("").as_bytes();
        let n = base.len().min(15);
        self.comm = [0; 16];
        self.comm[..n].copy_from_slice(&base[..n]);
        self.exe = exe;
    }
}

/// The pid (and tid) of the first process: WASI has no processes, so it is fixed.
pub const PID: u64 = 1000;
/// The uid/gid the guest sees.
pub const UID: u64 = 1000;

/// Handles the `ecall` at `hart.pc`: runs the call, writes `a0`, advances the pc.
pub fn syscall(m: &mut Machine) {
    let h = &m.hart;
    let nr = h.x[17];
    let args = Args([h.x[10], h.x[11], h.x[12], h.x[13], h.x[14], h.x[15]]);
    m.hart.pc = m.hart.pc.wrapping_add(4);
    let sysno = Sysno::from_nr(nr);
    let result = match sysno {
        Some(s) => dispatch(m, s, &args),
        None => Err(Errno::ENOSYS),
    };
    if m.os.strace {
        trace(m, nr, sysno, &args, &result);
    } else if result == Err(Errno::ENOSYS)
        && m.os.reported.insert(nr)
        && !quietly_unsupported(sysno)
    {
        let name = sysno.map_or_else(|| format!("syscall {nr}"), |s| s.name().to_string());
        eprintln!("mvvm: unsupported system call {name} (returns ENOSYS)");
    }
    // exit and rt_sigreturn leave a0 alone.
    if m.os.exit.is_none() && sysno != Some(Sysno::rt_sigreturn) {
        m.hart.set(
            10,
            match result {
                Ok(v) => v,
                Err(e) => (-(e as i64)) as u64,
            },
        );
    }
}

/// Calls that glibc probes and handles ENOSYS for, as qemu-user also answers them.
fn quietly_unsupported(s: Option<Sysno>) -> bool {
    matches!(s, Some(Sysno::rseq | Sysno::statx)) && !cfg!(debug_assertions)
}

fn trace(m: &Machine, nr: u64, sysno: Option<Sysno>, a: &Args, r: &SysResult) {
    let name = sysno.map_or_else(|| format!("syscall_{nr}"), |s| s.name().to_string());
    let args: Vec<String> = (0..6).map(|i| format_arg(m, sysno, i, a.u(i))).collect();
    let n = sysno.map_or(6, arity);
    let res = match r {
        Ok(v) if matches!(sysno, Some(Sysno::mmap | Sysno::brk | Sysno::mremap)) => {
            format!("{v:#x}")
        }
        Ok(v) => format!("{}", *v as i64),
        Err(e) => format!("-1 errno={} ({})", *e as i32, e.message()),
    };
    if matches!(sysno, Some(Sysno::exit | Sysno::exit_group)) {
        // Like qemu: the process is gone, there is no result to show.
        eprintln!("{} {name}({})", m.os.pid, args[..n].join(","));
    } else {
        eprintln!("{} {name}({}) = {res}", m.os.pid, args[..n].join(","));
    }
}

/// How many arguments strace prints for a call.
fn arity(s: Sysno) -> usize {
    use Sysno::*;
    match s {
        getpid | getppid | gettid | getuid | geteuid | getgid | getegid | sched_yield | sync
        | setsid | rt_sigreturn => 0,
        exit | exit_group | close | brk | dup | umask | uname | chdir | fchdir
        | set_tid_address | sysinfo | times => 1,
        munmap | fstat | getcwd | set_robust_list | clock_gettime | clock_getres | gettimeofday
        | nanosleep | listen | pipe2 | getrlimit | setrlimit | rt_sigpending | tkill | kill
        | sigaltstack | ftruncate | eventfd2 | fstatfs | statfs | rt_sigsuspend | getitimer
        | epoll_create1 | timerfd_create | timerfd_gettime | memfd_create => 2,
        read | write | readv | writev | lseek | openat | dup3 | fcntl | ioctl | mprotect
        | madvise | getdents64 | faccessat | mkdirat | unlinkat | getrandom | tgkill
        | sched_getaffinity | socket | connect | bind | mincore | fchmodat | riscv_flush_icache
        | setitimer | rt_sigqueueinfo => 3,
        epoll_ctl | timerfd_settime | signalfd4 | socketpair => 4,
        rt_sigaction | rt_sigprocmask | newfstatat | readlinkat | pread64 | pwrite64
        | prlimit64 | clock_nanosleep | wait4 | utimensat | faccessat2 | mknodat | sendfile
        | rt_sigtimedwait | rt_tgsigqueueinfo => 4,
        statx | mremap | riscv_hwprobe | prctl | renameat2 | linkat => 5,
        _ => 6,
    }
}

/// The `*at` calls: a directory fd at argument 0 and a path at argument 1.
fn is_at_call(s: Sysno) -> bool {
    use Sysno::*;
    matches!(
        s,
        openat
            | newfstatat
            | readlinkat
            | faccessat
            | faccessat2
            | mkdirat
            | unlinkat
            | statx
            | utimensat
            | mknodat
            | fchmodat
            | renameat2
            | linkat
    )
}

/// Renders one argument: paths as strings, the rest as numbers.
fn format_arg(m: &Machine, s: Option<Sysno>, i: usize, v: u64) -> String {
    use Sysno::*;
    let at = s.is_some_and(is_at_call);
    let second_pair = matches!(s, Some(renameat2 | linkat));
    let is_path = (at && i == 1)
        || (second_pair && i == 3)
        || (matches!(s, Some(chdir | statfs | truncate)) && i == 0);
    if is_path {
        if let Some(p) = m.mem.read_cstr(v, 4096) {
            return format!("\"{}\"", String::from_utf8_lossy(&p));
        }
    }
    let is_dirfd = (at && i == 0) || (second_pair && i == 2);
    if is_dirfd && v as i32 == -100 {
        return "AT_FDCWD".into();
    }
    if v == 0 && matches!(s, Some(brk)) {
        return "NULL".into();
    }
    if matches!(s, Some(mmap | munmap | mprotect | brk | madvise | mremap)) && i == 0 || v > 0xffff
    {
        format!("{v:#x}")
    } else {
        format!("{}", v as i64)
    }
}

fn dispatch(m: &mut Machine, s: Sysno, a: &Args) -> SysResult {
    use Sysno::*;
    match s {
        // files (fs.rs)
        openat => fs::openat(m, a),
        close => fs::close(m, a),
        newfstatat => fs::newfstatat(m, a),
        fstat => fs::fstat(m, a),
        statx => fs::statx(m, a),
        getdents64 => fs::getdents64(m, a),
        readlinkat => fs::readlinkat(m, a),
        faccessat => fs::faccessat(m, a, 0),
        faccessat2 => fs::faccessat(m, a, a.int(3)),
        mkdirat => fs::mkdirat(m, a),
        unlinkat => fs::unlinkat(m, a),
        renameat2 => fs::renameat2(m, a),
        ftruncate => fs::ftruncate(m, a),
        truncate => fs::truncate(m, a),
        fsync | fdatasync => fs::fsync(m, a),
        getcwd => fs::getcwd(m, a),
        chdir => fs::chdir(m, a),
        fchdir => fs::fchdir(m, a),
        fchmod | fchmodat | fchmodat2 | fchown | fchownat => fs::chmod_like(m, a, s),
        utimensat => fs::utimensat(m, a),
        symlinkat => fs::symlinkat(m, a),
        linkat => fs::linkat(m, a),
        mknodat => unix::mknodat(m, a),
        statfs | fstatfs => fs::statfs(m, a, s),
        // descriptors and data (io.rs)
        read => io::read(m, a),
        write => io::write(m, a),
        readv => io::readv(m, a),
        writev => io::writev(m, a),
        pread64 => io::pread64(m, a),
        pwrite64 => io::pwrite64(m, a),
        lseek => io::lseek(m, a),
        dup => io::dup(m, a),
        pipe2 => io::pipe2(m, a),
        dup3 => io::dup3(m, a),
        fcntl => io::fcntl(m, a),
        ioctl => io::ioctl(m, a),
        sendfile => io::sendfile(m, a),
        flock | fadvise64 | sync | syncfs => Ok(0),
        preadv => io::positional_vectored(m, a, false, false),
        pwritev => io::positional_vectored(m, a, true, false),
        preadv2 => io::positional_vectored(m, a, false, true),
        pwritev2 => io::positional_vectored(m, a, true, true),
        readahead => io::readahead(m, a),
        sync_file_range => io::sync_file_range(m, a),
        fallocate => io::fallocate(m, a),
        close_range => io::close_range(m, a),
        splice => io::splice(m, a),
        tee => io::tee(m, a),
        vmsplice => io::vmsplice(m, a),
        process_vm_readv => io::process_vm(m, a, false),
        process_vm_writev => io::process_vm(m, a, true),
        // extended attributes (xattr.rs)
        setxattr | lsetxattr | fsetxattr | getxattr | lgetxattr | fgetxattr | listxattr
        | llistxattr | flistxattr | removexattr | lremovexattr | fremovexattr => {
            xattr::xattr(m, s, a)
        }
        // memory (mm.rs)
        brk => mm::brk(m, a),
        mmap => mm::mmap(m, a),
        munmap => mm::munmap(m, a),
        mprotect => mm::mprotect(m, a),
        mremap => mm::mremap(m, a),
        madvise => mm::madvise(m, a),
        msync | mlock | munlock | mlockall | munlockall | mlock2 => Ok(0),
        riscv_flush_icache => mm::riscv_flush_icache(m, a),
        mincore => mm::mincore(m, a),
        pkey_mprotect => mm::pkey_mprotect(m, a),
        pkey_alloc => mm::pkey_alloc_free(m, a, true),
        pkey_free => mm::pkey_alloc_free(m, a, false),
        set_mempolicy => mm::set_mempolicy(m, a),
        get_mempolicy => mm::get_mempolicy(m, a),
        mbind => mm::mbind(m, a),
        migrate_pages => mm::migrate_pages(m, a),
        move_pages => mm::move_pages(m, a),
        // time (time.rs)
        clock_gettime => time::clock_gettime(m, a),
        clock_getres => time::clock_getres(m, a),
        gettimeofday => time::gettimeofday(m, a),
        nanosleep => time::nanosleep(m, a),
        clock_nanosleep => time::clock_nanosleep(m, a),
        times => time::times(m, a),
        getrusage => time::getrusage(m, a),
        setitimer => time::setitimer(m, a),
        // POSIX timers (timer.rs)
        timer_create => timer::timer_create(m, a),
        timer_settime => timer::timer_settime(m, a),
        timer_gettime => timer::timer_gettime(m, a),
        timer_getoverrun => timer::timer_getoverrun(m, a),
        timer_delete => timer::timer_delete(m, a),
        getitimer => time::getitimer(m, a),
        // process (process.rs)
        exit => thread::exit(m, a),
        exit_group => process::exit(m, a),
        getpid => Ok(m.os.pid),
        gettid => Ok(m.os.threads.current),
        getppid => Ok(m.os.ppid),
        getuid | geteuid | getgid | getegid => Ok(UID),
        getresuid | getresgid => process::getresuid(m, a),
        getpgid | getsid => process::getpgid(m, a, s),
        setpgid => process::setpgid(m, a),
        setsid => process::setsid(m, a),
        umask => process::umask(m, a),
        prlimit64 => process::prlimit64(m, a),
        getrlimit => process::getrlimit(m, a),
        setrlimit => Ok(0),
        prctl => process::prctl(m, a),
        // credentials, priorities, personality (identity.rs)
        setuid | setgid => identity::setid(m, a),
        setreuid | setregid => identity::setids(m, a, 2),
        setresuid | setresgid => identity::setids(m, a, 3),
        setfsuid | setfsgid => identity::setfsid(m, a),
        getgroups => identity::getgroups(m, a),
        setgroups => identity::setgroups(m, a),
        capget => identity::capget(m, a),
        capset => identity::capset(m, a),
        getpriority => identity::getpriority(m, a),
        setpriority => identity::setpriority(m, a),
        personality => identity::personality(m, a),
        sched_get_priority_max => identity::sched_priority_bound(m, a, true),
        sched_get_priority_min => identity::sched_priority_bound(m, a, false),
        sched_getscheduler => identity::sched_getscheduler(m, a),
        sched_getparam => identity::sched_getparam(m, a),
        sched_setparam => identity::sched_setscheduler(m, a, None),
        sched_setscheduler => identity::sched_setscheduler(m, a, Some(a.u(1))),
        sched_rr_get_interval => identity::sched_rr_get_interval(m, a),
        sched_getattr => identity::sched_getattr(m, a),
        sched_setattr => identity::sched_setattr(m, a),
        ioprio_get => identity::ioprio_get(m, a),
        ioprio_set => identity::ioprio_set(m, a),
        // for privileged users only (privileged.rs)
        s if privileged::is_privileged(s) => privileged::denied(m, s, a),
        // A restart with nothing to restart (Linux's answer when no call was cut short).
        restart_syscall => Err(Errno::EINTR),
        clone => thread::clone(m, a),
        execve => exec::execve(m, a),
        wait4 => process::wait4(m, a),
        waitid => process::waitid(m, a),
        clone3 => thread::clone3(m, a),
        execveat => exec::execveat(m, a),
        futex_wake | futex_wait | futex_requeue => thread::futex2(m, s, a),
        // signals (signal.rs)
        rt_sigaction => signal::rt_sigaction(m, a),
        rt_sigprocmask => signal::rt_sigprocmask(m, a),
        sigaltstack => signal::sigaltstack(m, a),
        kill | tkill | tgkill => signal::kill(m, a, s),
        rt_sigpending => signal::rt_sigpending(m, a),
        rt_sigreturn => signal::rt_sigreturn(m, a),
        rt_sigsuspend => signal::rt_sigsuspend(m, a),
        rt_sigtimedwait => signal::rt_sigtimedwait(m, a),
        rt_sigqueueinfo | rt_tgsigqueueinfo => signal::rt_sigqueueinfo(m, a, s),
        // ppoll without descriptors is a wait for a signal (glibc's pause); with
        // other threads to run meanwhile, the poll family's wait serves it.
        ppoll if a.u(1) == 0 && m.os.threads.queue.is_empty() => signal::ppoll_nofds(m, a),
        // waiting for descriptors (poll.rs)
        ppoll => poll::ppoll(m, a),
        pselect6 => poll::pselect6(m, a),
        epoll_create1 => poll::epoll_create1(m, a),
        epoll_ctl => poll::epoll_ctl(m, a),
        epoll_pwait => poll::epoll_pwait(m, a),
        epoll_pwait2 => poll::epoll_pwait2(m, a),
        // descriptors that are not files (event.rs)
        eventfd2 => event::eventfd2(m, a),
        timerfd_create => event::timerfd_create(m, a),
        timerfd_settime => event::timerfd_settime(m, a),
        timerfd_gettime => event::timerfd_gettime(m, a),
        signalfd4 => event::signalfd4(m, a),
        memfd_create => event::memfd_create(m, a),
        copy_file_range => event::copy_file_range(m, a),
        // sockets: AF_INET/AF_INET6 (net.rs), AF_UNIX (unix.rs)
        socket => net::socket(m, a),
        socketpair => unix::socketpair(m, a),
        bind => by_family(m, a, unix::bind, net::bind),
        listen => by_family(m, a, unix::listen, net::listen),
        accept => by_family(
            m,
            a,
            |m, a| unix::accept4(m, a, 0),
            |m, a| net::accept4(m, a, 0),
        ),
        accept4 => {
            let flags = a.u(3) as u32;
            if unix::owns(m, a.int(0)) {
                unix::accept4(m, a, flags)
            } else {
                net::accept4(m, a, flags)
            }
        }
        connect => by_family(m, a, unix::connect, net::connect),
        sendto => by_family(m, a, unix::sendto, net::sendto),
        recvfrom => by_family(m, a, unix::recvfrom, net::recvfrom),
        sendmsg => by_family(m, a, unix::sendmsg, net::sendmsg),
        recvmsg => by_family(m, a, unix::recvmsg, net::recvmsg),
        shutdown => by_family(m, a, unix::shutdown, net::shutdown),
        getsockname => by_family(m, a, unix::getsockname, net::getsockname),
        getpeername => by_family(m, a, unix::getpeername, net::getpeername),
        setsockopt => by_family(m, a, unix::setsockopt, net::setsockopt),
        getsockopt => by_family(m, a, unix::getsockopt, net::getsockopt),
        // threads (thread.rs)
        set_tid_address => thread::set_tid_address(m, a),
        set_robust_list => Ok(0),
        futex => thread::futex(m, a),
        sched_yield => thread::sched_yield(m, a),
        sched_getaffinity => thread::sched_getaffinity(m, a),
        sched_setaffinity => Ok(0),
        getcpu => thread::getcpu(m, a),
        // the system (system.rs)
        uname => system::uname(m, a),
        sysinfo => system::sysinfo(m, a),
        getrandom => system::getrandom(m, a),
        riscv_hwprobe => system::riscv_hwprobe(m, a),
        membarrier => system::membarrier(m, a),
        _ => Err(Errno::ENOSYS),
    }
}

/// A socket call on the descriptor in argument 0: `unix` serves `AF_UNIX`
/// sockets, `net` the rest (and answers ENOTSOCK/EBADF for non-sockets).
fn by_family(m: &mut Machine, a: &Args, unix: Handler, net: Handler) -> SysResult {
    if unix::owns(m, a.int(0)) {
        unix(m, a)
    } else {
        net(m, a)
    }
}

type Handler = fn(&mut Machine, &Args) -> SysResult;

#[cfg(test)]
mod tests;
