//! Calls Linux reserves for privileged users (mounting, rebooting, modules, swap,
//! setting clocks and host names, namespaces, BPF, ...). The guest runs as one
//! unprivileged user, so each fails as it fails for such a user on Linux, after
//! the checks Linux makes first. Nothing here changes any state.

use super::abi::Out;
use super::{Args, Errno, SysResult, Sysno};
use crate::machine::Machine;

/// Whether `s` is one of the calls answered here.
pub fn is_privileged(s: Sysno) -> bool {
    use Sysno::*;
    matches!(
        s,
        mount
            | umount2
            | pivot_root
            | chroot
            | reboot
            | kexec_load
            | kexec_file_load
            | init_module
            | finit_module
            | delete_module
            | swapon
            | swapoff
            | acct
            | settimeofday
            | clock_settime
            | clock_adjtime
            | adjtimex
            | sethostname
            | setdomainname
            | vhangup
            | quotactl
            | quotactl_fd
            | syslog
            | bpf
            | userfaultfd
            | fanotify_init
            | fanotify_mark
            | open_by_handle_at
            | name_to_handle_at
            | setns
            | unshare
            | fsopen
            | fspick
            | fsmount
            | fsconfig
            | open_tree
            | move_mount
            | mount_setattr
            | lookup_dcookie
    )
}

/// The answer to privileged call `s`.
pub fn denied(m: &mut Machine, s: Sysno, a: &Args) -> SysResult {
    use Sysno::*;
    match s {
        // Reading the clock's adjustment state is allowed; changing it is not.
        adjtimex | clock_adjtime => {
            let buf = if s == adjtimex { a.addr(0) } else { a.addr(1) };
            let modes = m.read_u32(buf)?;
            if modes != 0 {
                return Err(Errno::EPERM);
            }
            // A clock nothing disciplines: status STA_UNSYNC, result TIME_ERROR,
            // Linux's defaults for the error bounds, tolerance and tick.
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let mut t = Out::new(208);
            t.u64(24, 16_000_000) // maxerror (us)
                .u64(32, 16_000_000) // esterror (us)
                .u32(40, 0x40) // status: STA_UNSYNC
                .u64(56, 1) // precision (us)
                .u64(64, 500 << 16) // tolerance: 500 ppm
                .u64(72, now.as_secs())
                .u64(80, now.subsec_micros() as u64)
                .u64(88, 10_000); // tick (us)
            m.copy_out(buf, &t.0)?;
            Ok(5)
        }
        // unshare(0) asks for nothing.
        unshare if a.u(0) == 0 => Ok(0),
        // Filesystems here do not hand out file handles.
        name_to_handle_at => Err(Errno::EOPNOTSUPP),
        // Without fanotify_init there is no fanotify descriptor to mark.
        fanotify_mark => Err(Errno::EBADF),
        _ => Err(Errno::EPERM),
    }
}
