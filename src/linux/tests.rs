//! Tests of the Linux layer that need hand-written expectations (qemu-riscv64, the
//! oracle elsewhere, runs as whatever user runs the tests and passes privileged
//! calls to the host kernel), and the syscall coverage table in
//! `docs/syscalls.md`, which [`coverage_table_is_current`] keeps in step with the
//! dispatcher (`MVVM_BLESS=1` rewrites it).

use super::*;
use crate::machine::{Machine, Options};

/// A machine with a read-write scratch page at [`SCRATCH`].
fn machine() -> Machine {
    let mut m = Machine::new(&Options::default(), "/".into()).unwrap();
    assert_eq!(map_anonymous(&mut m, SCRATCH, 4 * 4096, 3), Some(SCRATCH));
    m
}

const SCRATCH: u64 = 0x10_0000;

fn call(m: &mut Machine, s: Sysno, args: &[u64]) -> SysResult {
    let mut a = [0; 6];
    a[..args.len()].copy_from_slice(args);
    dispatch(m, s, &Args(a))
}

const KEEP: u64 = u32::MAX as u64;

#[test]
fn ids_change_only_to_themselves() {
    use Sysno::*;
    let m = &mut machine();
    assert_eq!(call(m, setuid, &[UID]), Ok(0));
    assert_eq!(call(m, setuid, &[0]), Err(Errno::EPERM));
    assert_eq!(call(m, setgid, &[KEEP]), Err(Errno::EINVAL));
    assert_eq!(call(m, setreuid, &[KEEP, UID]), Ok(0));
    assert_eq!(call(m, setresgid, &[UID, KEEP, 0]), Err(Errno::EPERM));
    assert_eq!(call(m, setfsuid, &[0]), Ok(UID));
    assert_eq!(call(m, getgroups, &[0, 0]), Ok(0));
    assert_eq!(call(m, setgroups, &[0, 0]), Err(Errno::EPERM));
}

#[test]
fn capabilities_are_empty_and_stay_so() {
    use Sysno::*;
    let m = &mut machine();
    // An unknown version: the preferred one is written back; a probe gets 0.
    m.copy_out(SCRATCH, &[0; 8]).unwrap();
    assert_eq!(call(m, capget, &[SCRATCH, 0]), Ok(0));
    assert_eq!(m.read_u32(SCRATCH), Ok(0x2008_0522));
    m.copy_out(SCRATCH + 8, &[0xff; 24]).unwrap();
    assert_eq!(call(m, capget, &[SCRATCH, SCRATCH + 8]), Ok(0));
    assert_eq!(m.copy_in(SCRATCH + 8, 24), Ok(vec![0; 24]));
    assert_eq!(call(m, capset, &[SCRATCH, SCRATCH + 8]), Ok(0));
    m.copy_out(SCRATCH + 8, &[1]).unwrap();
    assert_eq!(call(m, capset, &[SCRATCH, SCRATCH + 8]), Err(Errno::EPERM));
}

#[test]
fn niceness_only_rises() {
    use Sysno::*;
    let m = &mut machine();
    assert_eq!(call(m, getpriority, &[0, 0]), Ok(20));
    assert_eq!(call(m, setpriority, &[0, 0, 5]), Ok(0));
    assert_eq!(call(m, getpriority, &[0, PID]), Ok(15));
    assert_eq!(call(m, setpriority, &[0, 0, 0]), Err(Errno::EACCES));
    assert_eq!(call(m, getpriority, &[0, 4242]), Err(Errno::ESRCH));
    assert_eq!(call(m, getpriority, &[9, 0]), Err(Errno::EINVAL));
    // sched_getattr reports the same niceness.
    assert_eq!(call(m, sched_getattr, &[0, SCRATCH, 56, 0]), Ok(0));
    assert_eq!(m.read_u32(SCRATCH), Ok(56));
    assert_eq!(m.read_u32(SCRATCH + 16), Ok(5));
}

#[test]
fn real_time_scheduling_is_refused() {
    use Sysno::*;
    let m = &mut machine();
    m.copy_out(SCRATCH, &10u32.to_le_bytes()).unwrap();
    assert_eq!(
        call(m, sched_setscheduler, &[0, 1, SCRATCH]),
        Err(Errno::EPERM)
    );
    assert_eq!(
        call(m, sched_setscheduler, &[0, 0, SCRATCH]),
        Err(Errno::EINVAL)
    );
    m.copy_out(SCRATCH, &0u32.to_le_bytes()).unwrap();
    assert_eq!(call(m, sched_setscheduler, &[0, 3, SCRATCH]), Ok(0));
    assert_eq!(call(m, sched_getscheduler, &[0]), Ok(3));
    assert_eq!(call(m, sched_get_priority_max, &[1]), Ok(99));
    assert_eq!(call(m, sched_get_priority_min, &[2]), Ok(1));
    assert_eq!(call(m, sched_get_priority_max, &[7]), Err(Errno::EINVAL));
    assert_eq!(call(m, ioprio_set, &[1, 0, 1 << 13]), Err(Errno::EPERM));
    assert_eq!(call(m, ioprio_get, &[1, 0]), Ok(2 << 13 | 4));
}

#[test]
fn privileged_calls_fail_as_for_a_user() {
    use Sysno::*;
    let m = &mut machine();
    for s in [
        mount,
        reboot,
        init_module,
        swapon,
        settimeofday,
        sethostname,
        bpf,
        setns,
    ] {
        assert_eq!(call(m, s, &[]), Err(Errno::EPERM), "{}", s.name());
    }
    assert_eq!(call(m, unshare, &[0]), Ok(0));
    assert_eq!(call(m, unshare, &[0x1000_0000]), Err(Errno::EPERM));
    // adjtimex may read the clock's state, not change it.
    assert_eq!(call(m, adjtimex, &[SCRATCH]), Ok(5));
    assert_eq!(m.read_u32(SCRATCH + 40), Ok(0x40));
    m.copy_out(SCRATCH, &1u32.to_le_bytes()).unwrap();
    assert_eq!(call(m, adjtimex, &[SCRATCH]), Err(Errno::EPERM));
}

#[test]
fn files_have_no_extended_attributes() {
    use Sysno::*;
    let m = &mut machine();
    m.copy_out(SCRATCH, b"/\0user.x\0").unwrap();
    let name = SCRATCH + 2;
    assert_eq!(call(m, listxattr, &[SCRATCH, 0, 0]), Ok(0));
    assert_eq!(
        call(m, getxattr, &[SCRATCH, name, 0, 0]),
        Err(Errno::ENODATA)
    );
    assert_eq!(
        call(m, lsetxattr, &[SCRATCH, name, 0, 0, 0]),
        Err(Errno::EOPNOTSUPP)
    );
    assert_eq!(call(m, fremovexattr, &[99, name]), Err(Errno::EBADF));
    m.copy_out(SCRATCH, b"/no/such/file\0").unwrap();
    assert_eq!(
        call(m, getxattr, &[SCRATCH, name, 0, 0]),
        Err(Errno::ENOENT)
    );
}

#[test]
fn memory_policies_know_one_node() {
    use Sysno::*;
    let m = &mut machine();
    assert_eq!(call(m, mincore, &[SCRATCH, 8192, SCRATCH + 8192]), Ok(0));
    assert_eq!(m.copy_in(SCRATCH + 8192, 2), Ok(vec![1, 1]));
    assert_eq!(
        call(m, mincore, &[0x1000, 4096, SCRATCH]),
        Err(Errno::ENOMEM)
    );
    m.copy_out(SCRATCH, &1u64.to_le_bytes()).unwrap();
    assert_eq!(call(m, set_mempolicy, &[2, SCRATCH, 64]), Ok(0));
    m.copy_out(SCRATCH, &2u64.to_le_bytes()).unwrap();
    assert_eq!(
        call(m, set_mempolicy, &[2, SCRATCH, 64]),
        Err(Errno::EINVAL)
    );
    assert_eq!(call(m, set_mempolicy, &[0, 0, 0]), Ok(0));
    assert_eq!(
        call(m, get_mempolicy, &[SCRATCH, SCRATCH + 8, 64, 0, 4]),
        Ok(0)
    );
    assert_eq!(m.read_u64(SCRATCH + 8), Ok(1));
    assert_eq!(call(m, pkey_alloc, &[0, 0]), Err(Errno::ENOSPC));
    assert_eq!(
        call(m, pkey_mprotect, &[SCRATCH, 4096, 1, 0]),
        Err(Errno::EINVAL)
    );
    assert_eq!(call(m, pkey_mprotect, &[SCRATCH, 4096, 3, u64::MAX]), Ok(0));
    assert_eq!(call(m, membarrier, &[8, 0, 0]), Err(Errno::EPERM));
    assert_eq!(call(m, membarrier, &[16, 0, 0]), Ok(0));
    assert_eq!(call(m, membarrier, &[8, 0, 0]), Ok(0));
}

// ---- docs/syscalls.md ------------------------------------------------------------------

/// What is missing from calls MVVM serves only in part.
const PARTIAL: &[(&str, &str)] = &[
    (
        "ioctl",
        "terminal queries (TCGETS, TIOCGWINSZ), FIONBIO, FIOCLEX/FIONCLEX; others ENOTTY",
    ),
    (
        "fcntl",
        "record locks succeed without locking (one process)",
    ),
    ("flock", "succeeds without locking (one process)"),
    (
        "fchown",
        "succeeds without changing anything: WASI files have no owners",
    ),
    (
        "fchownat",
        "succeeds without changing anything: WASI files have no owners",
    ),
    ("fchmodat2", "AT_SYMLINK_NOFOLLOW is not honoured"),
    (
        "utimensat",
        "accepted for existing files; WASI through std cannot set the times",
    ),
    ("mknodat", "FIFOs (within the instance), regular and socket files; devices EPERM"),
    ("fadvise64", "advice accepted and ignored"),
    ("sync", "no-op: the host syncs"),
    ("syncfs", "no-op: the host syncs"),
    ("msync", "no-op: file mappings are private copies"),
    ("mlock", "no-op: all memory is resident"),
    ("munlock", "no-op"),
    ("mlockall", "no-op"),
    ("munlockall", "no-op"),
    ("mlock2", "no-op"),
    (
        "mmap",
        "MAP_SHARED file and memfd mappings are private copies",
    ),
    ("madvise", "MADV_DONTNEED zeroes; other advice is ignored"),
    ("setrlimit", "accepted; the limits do not change"),
    ("prctl", "PR_SET_NAME, PR_GET_NAME only; others EINVAL"),
    (
        "clone",
        "threads (CLONE_VM|CLONE_THREAD); processes not yet",
    ),
    (
        "set_robust_list",
        "accepted; the list is not walked at thread exit",
    ),
    ("sched_setaffinity", "accepted: there is one CPU"),
    ("socketpair", "AF_UNIX stream, datagram and seqpacket, within the instance"),
    (
        "socket",
        "AF_INET and AF_INET6, TCP and UDP, on the host; AF_UNIX within the instance; no raw sockets",
    ),
    ("sendmsg", "ancillary data on AF_UNIX only (SCM_RIGHTS; SCM_CREDENTIALS not checked)"),
    ("recvmsg", "ancillary data on AF_UNIX only (SCM_RIGHTS, SCM_CREDENTIALS with SO_PASSCRED)"),
    (
        "setsockopt",
        "the common options; SO_RCVTIMEO/SO_SNDTIMEO accepted without effect",
    ),
    ("clone3", "no CLONE_PIDFD, set_tid (EPERM) or CLONE_INTO_CGROUP"),
    ("futex_wait", "32-bit futexes only"),
    ("futex_wake", "32-bit futexes only"),
    ("futex_requeue", "32-bit futexes only"),
    ("process_vm_readv", "within the calling process; other processes' memory: EPERM"),
    ("process_vm_writev", "within the calling process; other processes' memory: EPERM"),
    ("splice", "at most 64 KiB a call, through a buffer"),
    ("timer_create", "SIGEV_THREAD_ID signals are pending for the process; CPU-time clocks run as CLOCK_MONOTONIC"),
    ("tkill", "to the own threads"),
    ("tgkill", "to the own process's threads"),
    ("preadv2", "RWF_* flags accepted and ignored"),
    ("pwritev2", "RWF_* flags accepted and ignored"),
    (
        "fallocate",
        "mode 0 and FALLOC_FL_KEEP_SIZE only; others EOPNOTSUPP",
    ),
    (
        "clock_adjtime",
        "reading only (changing needs privileges: EPERM)",
    ),
    (
        "adjtimex",
        "reading only (changing needs privileges: EPERM)",
    ),
    ("getxattr", "no extended attributes (ENODATA)"),
    ("lgetxattr", "no extended attributes (ENODATA)"),
    ("fgetxattr", "no extended attributes (ENODATA)"),
    ("listxattr", "no extended attributes (empty list)"),
    ("llistxattr", "no extended attributes (empty list)"),
    ("flistxattr", "no extended attributes (empty list)"),
    ("setxattr", "no extended attributes (EOPNOTSUPP)"),
    ("lsetxattr", "no extended attributes (EOPNOTSUPP)"),
    ("fsetxattr", "no extended attributes (EOPNOTSUPP)"),
    ("removexattr", "no extended attributes (ENODATA)"),
    ("lremovexattr", "no extended attributes (ENODATA)"),
    ("fremovexattr", "no extended attributes (ENODATA)"),
];

/// Whether MVVM serves `s`: anything but ENOSYS for null arguments on a
/// throwaway machine (`clone` with null flags asks for a process; it is asked for
/// a thread).
fn served(s: Sysno) -> bool {
    const THREAD: u64 = 0x0001_0f00; // CLONE_VM | FS | FILES | SIGHAND | THREAD
    let mut m = machine();
    let mut args = [0; 6];
    if s == Sysno::clone {
        args[0] = THREAD;
        args[1] = SCRATCH + 4096;
    }
    dispatch(&mut m, s, &Args(args)) != Err(Errno::ENOSYS)
}

/// The table as `docs/syscalls.md` should hold it.
fn coverage_table() -> String {
    let all: Vec<Sysno> = (0..1024).filter_map(Sysno::from_nr).collect();
    let mut rows = String::new();
    let (mut full, mut partial, mut denied, mut missing) = (0, 0, 0, 0);
    for &s in &all {
        let note = PARTIAL.iter().find(|p| p.0 == s.name()).map(|p| p.1);
        let state = if !served(s) {
            missing += 1;
            "ENOSYS".to_string()
        } else if privileged::is_privileged(s) && note.is_none() {
            denied += 1;
            "denied, as for an unprivileged user".to_string()
        } else if let Some(note) = note {
            partial += 1;
            format!("partial: {note}")
        } else {
            full += 1;
            "yes".to_string()
        };
        rows.push_str(&format!("| {} | `{}` | {state} |\n", s as u32, s.name()));
    }
    let served = full + partial + denied;
    format!(
        "# System calls\n\n\
         Every riscv64 Linux system call number (the asm-generic table) and what MVVM does \
         with it. Generated: `src/linux/tests.rs` checks this file against the dispatcher \
         (`MVVM_BLESS=1 cargo test --lib coverage_table` rewrites it).\n\n\
         **{served} of {total} served**: {full} fully, {partial} in part (the note says what \
         is missing), {denied} denied as Linux denies an unprivileged user (EPERM after the \
         usual argument checks: mounting, modules, clocks, namespaces, ...); {missing} \
         return ENOSYS. For comparison, qemu-user implements about 251 of 319.\n\n\
         | nr | name | MVVM |\n| --- | --- | --- |\n{rows}",
        total = all.len()
    )
}

#[test]
fn coverage_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/syscalls.md");
    let want = coverage_table();
    if std::env::var_os("MVVM_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/syscalls.md is stale: rerun with MVVM_BLESS=1 (cargo test --lib coverage_table)"
    );
    // Every note names a call that exists and is served.
    for (name, _) in PARTIAL {
        let s = (0..1024)
            .filter_map(Sysno::from_nr)
            .find(|s| s.name() == *name);
        assert!(s.is_some_and(served), "{name}: no such served call");
    }
}

#[test]
fn futex2_calls_are_futex_operations() {
    use Sysno::*;
    let m = &mut machine();
    m.copy_out(SCRATCH, &5u32.to_le_bytes()).unwrap();
    // No waiter to wake; a 64-bit futex is not supported.
    assert_eq!(
        call(m, futex_wake, &[SCRATCH, u32::MAX as u64, 1, 2]),
        Ok(0)
    );
    assert_eq!(
        call(m, futex_wake, &[SCRATCH, u32::MAX as u64, 1, 3]),
        Err(Errno::EINVAL)
    );
    // A value that changed: EAGAIN, as FUTEX_WAIT_BITSET says.
    assert_eq!(
        call(m, futex_wait, &[SCRATCH, 4, u32::MAX as u64, 130, 0, 1]),
        Err(Errno::EAGAIN)
    );
    assert_eq!(
        call(m, futex_wait, &[SCRATCH, 5, 0, 2, 0, 1]),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        call(m, futex_wait, &[SCRATCH, 5, 1, 2, 0, 7]),
        Err(Errno::EINVAL)
    );
    // Requeue with a stale expected value: EAGAIN.
    let mut waitv = [0u8; 48];
    waitv[..8].copy_from_slice(&4u64.to_le_bytes());
    waitv[8..16].copy_from_slice(&SCRATCH.to_le_bytes());
    waitv[32..40].copy_from_slice(&(SCRATCH + 8).to_le_bytes());
    m.copy_out(SCRATCH + 64, &waitv).unwrap();
    assert_eq!(
        call(m, futex_requeue, &[SCRATCH + 64, 2, 1, 1]),
        Err(Errno::EAGAIN)
    );
    waitv[..8].copy_from_slice(&5u64.to_le_bytes());
    m.copy_out(SCRATCH + 64, &waitv).unwrap();
    assert_eq!(call(m, futex_requeue, &[SCRATCH + 64, 2, 1, 1]), Ok(0));
}

#[test]
fn clone3_checks_its_arguments() {
    use Sysno::*;
    let m = &mut machine();
    m.copy_out(SCRATCH, &[0; 128]).unwrap();
    assert_eq!(call(m, clone3, &[SCRATCH, 32]), Err(Errno::EINVAL));
    assert_eq!(call(m, clone3, &[SCRATCH, 8192]), Err(Errno::E2BIG));
    // A field beyond those known must be zero.
    m.copy_out(SCRATCH + 100, &[1]).unwrap();
    assert_eq!(call(m, clone3, &[SCRATCH, 128]), Err(Errno::E2BIG));
    m.copy_out(SCRATCH + 100, &[0]).unwrap();
    // set_tid needs privileges; a stack needs a size.
    m.copy_out(SCRATCH + 72, &1u64.to_le_bytes()).unwrap();
    assert_eq!(call(m, clone3, &[SCRATCH, 88]), Err(Errno::EPERM));
    m.copy_out(SCRATCH + 72, &0u64.to_le_bytes()).unwrap();
    m.copy_out(SCRATCH + 40, &SCRATCH.to_le_bytes()).unwrap();
    assert_eq!(call(m, clone3, &[SCRATCH, 88]), Err(Errno::EINVAL));
}

#[test]
fn process_vm_copies_within_the_process() {
    use Sysno::*;
    let m = &mut machine();
    m.copy_out(SCRATCH, b"process memory").unwrap();
    // iovecs: local at +0x100 (dst +0x200, 7), remote at +0x120 (SCRATCH, 7).
    let iov = |m: &mut Machine, at: u64, base: u64, len: u64| {
        m.copy_out(at, &[base.to_le_bytes(), len.to_le_bytes()].concat())
            .unwrap();
    };
    iov(m, SCRATCH + 0x100, SCRATCH + 0x200, 7);
    iov(m, SCRATCH + 0x120, SCRATCH, 7);
    let args = [PID, SCRATCH + 0x100, 1, SCRATCH + 0x120, 1, 0];
    assert_eq!(call(m, process_vm_readv, &args), Ok(7));
    assert_eq!(m.copy_in(SCRATCH + 0x200, 7), Ok(b"process".to_vec()));
    m.copy_out(SCRATCH + 0x200, b"PROCESS").unwrap();
    assert_eq!(call(m, process_vm_writev, &args), Ok(7));
    assert_eq!(m.copy_in(SCRATCH, 14), Ok(b"PROCESS memory".to_vec()));
    let flags = [PID, SCRATCH + 0x100, 1, SCRATCH + 0x120, 1, 1];
    assert_eq!(call(m, process_vm_readv, &flags), Err(Errno::EINVAL));
    let other = [4242, SCRATCH + 0x100, 1, SCRATCH + 0x120, 1, 0];
    assert_eq!(call(m, process_vm_readv, &other), Err(Errno::ESRCH));
    // An unmapped remote: nothing copied.
    iov(m, SCRATCH + 0x120, 0x1000, 7);
    assert_eq!(call(m, process_vm_readv, &args), Err(Errno::EFAULT));
}

/// `/proc/self/fd` lists the guest's descriptors (qemu-user lists its own), and
/// `/dev/fd/N` opens what descriptor N is.
#[test]
fn descriptor_directory_lists_the_guest_descriptors() {
    use Sysno::*;
    let m = &mut machine();
    let cwd = fs::AT_FDCWD as u64;
    m.copy_out(SCRATCH, b"/dev/null\0").unwrap();
    let null = call(m, openat, &[cwd, SCRATCH, 0, 0]).unwrap();
    assert_eq!(null, 3);
    m.copy_out(SCRATCH, b"/proc/self/fd/\0").unwrap();
    let dir = call(m, openat, &[cwd, SCRATCH, 0o200000, 0]).unwrap();
    let buf = SCRATCH + 0x1000;
    let n = call(m, getdents64, &[dir, buf, 4096]).unwrap();
    let bytes = m.copy_in(buf, n).unwrap();
    let mut names = Vec::new();
    let mut off = 0;
    while off < bytes.len() {
        let reclen = u16::from_le_bytes([bytes[off + 16], bytes[off + 17]]) as usize;
        let name = &bytes[off + 19..off + reclen];
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        names.push(String::from_utf8_lossy(&name[..end]).into_owned());
        off += reclen;
    }
    assert_eq!(names, [".", "..", "0", "1", "2", "3", "4"]);
    // /dev/fd/3 is /dev/null again: it reads end of file.
    m.copy_out(SCRATCH, b"/dev/fd/3\0").unwrap();
    let again = call(m, openat, &[cwd, SCRATCH, 0, 0]).unwrap();
    assert_eq!(call(m, read, &[again, buf, 16]), Ok(0));
    m.copy_out(SCRATCH, b"/dev/fd/77\0").unwrap();
    assert_eq!(call(m, openat, &[cwd, SCRATCH, 0, 0]), Err(Errno::ENOENT));
}
