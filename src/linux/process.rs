//! The process itself: exit, identity, limits, umask, prctl.

use super::abi::Out;
use super::{Args, Errno, ExitStatus, SysResult, UID};
use crate::machine::Machine;

pub fn exit(m: &mut Machine, a: &Args) -> SysResult {
    m.os.exit = Some(ExitStatus::Exited(a.int(0) & 0xff));
    Ok(0)
}

pub fn getresuid(m: &mut Machine, a: &Args) -> SysResult {
    for i in 0..3 {
        m.copy_out(a.addr(i), &(UID as u32).to_le_bytes())?;
    }
    Ok(0)
}

pub fn umask(m: &mut Machine, a: &Args) -> SysResult {
    let old = m.os.umask;
    m.os.umask = a.u(0) as u32 & 0o777;
    Ok(old as u64)
}

/// `(soft, hard)` limit for a resource.
fn limit(m: &Machine, resource: i32) -> Result<(u64, u64), Errno> {
    const RLIMIT_STACK: i32 = 3;
    const RLIMIT_NOFILE: i32 = 7;
    const RLIMIT_AS: i32 = 9;
    const INF: u64 = u64::MAX;
    Ok(match resource {
        RLIMIT_STACK => (m.stack_size, INF),
        RLIMIT_NOFILE => (super::fd::MAX_FDS as u64, super::fd::MAX_FDS as u64),
        RLIMIT_AS => (m.mem.size(), m.mem.size()),
        0..=15 => (INF, INF),
        _ => return Err(Errno::EINVAL),
    })
}

fn write_rlimit(m: &mut Machine, addr: u64, (cur, max): (u64, u64)) -> Result<(), Errno> {
    if addr != 0 {
        let mut o = Out::new(16);
        o.u64(0, cur).u64(8, max);
        m.copy_out(addr, &o.0)?;
    }
    Ok(())
}

pub fn prlimit64(m: &mut Machine, a: &Args) -> SysResult {
    if a.u(0) != 0 && a.u(0) != super::PID {
        return Err(Errno::ESRCH);
    }
    let l = limit(m, a.int(1))?;
    write_rlimit(m, a.addr(3), l)?;
    Ok(0)
}

pub fn getrlimit(m: &mut Machine, a: &Args) -> SysResult {
    let l = limit(m, a.int(0))?;
    write_rlimit(m, a.addr(1), l)?;
    Ok(0)
}

pub fn prctl(m: &mut Machine, a: &Args) -> SysResult {
    const PR_SET_NAME: i32 = 15;
    const PR_GET_NAME: i32 = 16;
    match a.int(0) {
        PR_SET_NAME => {
            let name = m.mem.read_cstr(a.addr(1), 4096).ok_or(Errno::EFAULT)?;
            let n = name.len().min(15);
            m.os.comm = [0; 16];
            m.os.comm[..n].copy_from_slice(&name[..n]);
            Ok(0)
        }
        PR_GET_NAME => {
            let comm = m.os.comm;
            m.copy_out(a.addr(1), &comm)?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}
