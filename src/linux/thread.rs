//! Thread-related calls for the single guest thread: tid address, futex,
//! affinity. (Multiple guest threads come with green-thread scheduling.)

use super::{Args, Errno, SysResult, PID};
use crate::machine::Machine;

pub fn set_tid_address(m: &mut Machine, a: &Args) -> SysResult {
    m.os.clear_child_tid = a.addr(0);
    Ok(PID)
}

pub fn futex(m: &mut Machine, a: &Args) -> SysResult {
    const FUTEX_WAIT: i32 = 0;
    const FUTEX_WAKE: i32 = 1;
    const FUTEX_REQUEUE: i32 = 3;
    const FUTEX_CMP_REQUEUE: i32 = 4;
    const FUTEX_WAIT_BITSET: i32 = 9;
    const FUTEX_WAKE_BITSET: i32 = 10;
    let op = a.int(1) & 0x7f; // without FUTEX_PRIVATE_FLAG / CLOCK_REALTIME
    match op {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            if m.read_u32(a.addr(0))? != a.u(2) as u32 {
                return Err(Errno::EAGAIN);
            }
            // The only thread would sleep forever unless a timeout ends the wait.
            if a.addr(3) != 0 {
                return Err(Errno::ETIMEDOUT);
            }
            Err(Errno::EDEADLK)
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET | FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => Ok(0),
        _ => Err(Errno::ENOSYS),
    }
}

pub fn sched_getaffinity(m: &mut Machine, a: &Args) -> SysResult {
    let len = a.u(1);
    if len < 8 || !len.is_multiple_of(8) {
        return Err(Errno::EINVAL);
    }
    m.write_u64(a.addr(2), 1)?;
    Ok(8)
}

pub fn getcpu(m: &mut Machine, a: &Args) -> SysResult {
    for i in 0..2 {
        if a.addr(i) != 0 {
            m.copy_out(a.addr(i), &0u32.to_le_bytes())?;
        }
    }
    Ok(0)
}
