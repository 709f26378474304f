//! The machine as the guest sees it: uname, sysinfo, randomness, riscv_hwprobe,
//! and generated `/proc` contents.

use super::abi::Out;
use super::{Args, Errno, SysResult};
use crate::isa::Ext;
use crate::machine::Machine;

/// Fills `buf` with random bytes from the host (wasi:random natively /dev/urandom).
pub fn random_fill(buf: &mut [u8]) {
    #[cfg(target_os = "wasi")]
    {
        let bytes = wasi::random::random::get_random_bytes(buf.len() as u64);
        buf.copy_from_slice(&bytes[..buf.len()]);
    }
    #[cfg(not(target_os = "wasi"))]
    {
        use std::io::Read;
        if std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(buf))
            .is_err()
        {
            // No entropy source: still vary between runs.
            let seed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let mut x = seed.as_nanos() as u64 | 1;
            for b in buf {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
        }
    }
}

pub fn uname(m: &mut Machine, a: &Args) -> SysResult {
    let mut o = Out::new(65 * 6);
    for (i, s) in ["Linux", "mvvm", "6.1.0", "#1 SMP MVVM", "riscv64", "(none)"]
        .iter()
        .enumerate()
    {
        o.bytes(i * 65, s.as_bytes());
    }
    m.copy_out(a.addr(0), &o.0)?;
    Ok(0)
}

pub fn sysinfo(m: &mut Machine, a: &Args) -> SysResult {
    let total = m.mem.size();
    let used: u64 = m.mem.vmas().map(|(s, v)| v.end - s).sum();
    let mut o = Out::new(112);
    o.u64(0, super::time::since_boot().as_secs());
    o.u64(32, total)
        .u64(40, total.saturating_sub(used))
        .u16(80, 1)
        .u32(104, 1);
    m.copy_out(a.addr(0), &o.0)?;
    Ok(0)
}

pub fn getrandom(m: &mut Machine, a: &Args) -> SysResult {
    const GRND_NONBLOCK: u64 = 1;
    const GRND_RANDOM: u64 = 2;
    const GRND_INSECURE: u64 = 4;
    if a.u(2) & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0 {
        return Err(Errno::EINVAL);
    }
    let len = a.u(1).min(1 << 25);
    let mut buf = vec![0u8; len as usize];
    random_fill(&mut buf);
    m.copy_out(a.addr(0), &buf)?;
    Ok(len)
}

/// `riscv_hwprobe`: the CPU's description by key (Linux uapi `asm/hwprobe.h`).
pub fn riscv_hwprobe(m: &mut Machine, a: &Args) -> SysResult {
    const MVENDORID: i64 = 0;
    const MARCHID: i64 = 1;
    const MIMPID: i64 = 2;
    const BASE_BEHAVIOR: i64 = 3;
    const IMA_EXT_0: i64 = 4;
    const CPUPERF_0: i64 = 5;
    const ZICBOZ_BLOCK_SIZE: i64 = 6;
    const HIGHEST_VIRT_ADDRESS: i64 = 7;
    const TIME_CSR_FREQ: i64 = 8;
    const MISALIGNED_SCALAR_PERF: i64 = 9;
    const MISALIGNED_VECTOR_PERF: i64 = 10;
    const ZICBOM_BLOCK_SIZE: i64 = 12;
    const BASE_BEHAVIOR_IMA: u64 = 1;
    // Misaligned scalar accesses take the same path as aligned ones here.
    const MISALIGNED_FAST: u64 = 3;
    const MISALIGNED_UNSUPPORTED: u64 = 4;
    let cpu = m.code.exts;
    let block = crate::interp::CACHE_BLOCK;
    let (pairs, count, cpusetsize, cpus, flags) = (a.addr(0), a.u(1), a.u(2), a.addr(3), a.u(4));
    if flags != 0 || (cpusetsize == 0) != (cpus == 0) {
        return Err(Errno::EINVAL);
    }
    for i in 0..count.min(1 << 16) {
        let at = pairs + i * 16;
        let key = m.read_u64(at)? as i64;
        let value = match key {
            MVENDORID | MARCHID | MIMPID => Some(0),
            BASE_BEHAVIOR => Some(BASE_BEHAVIOR_IMA),
            IMA_EXT_0 => Some(cpu.hwprobe_ima_ext_0()),
            CPUPERF_0 | MISALIGNED_SCALAR_PERF => Some(MISALIGNED_FAST),
            MISALIGNED_VECTOR_PERF => Some(MISALIGNED_UNSUPPORTED),
            ZICBOZ_BLOCK_SIZE => Some(if cpu.has(Ext::Zicboz) { block } else { 0 }),
            ZICBOM_BLOCK_SIZE => Some(if cpu.has(Ext::Zicbom) { block } else { 0 }),
            HIGHEST_VIRT_ADDRESS => Some(m.mem.size() - 1),
            TIME_CSR_FREQ => Some(crate::interp::TIME_FREQ),
            _ => None,
        };
        m.write_u64(at, value.map_or(u64::MAX, |_| key as u64))?;
        m.write_u64(at + 8, value.unwrap_or(0))?;
    }
    Ok(0)
}

/// `membarrier`: every guest thread runs on the one host thread, in turn, so a
/// barrier across threads holds by construction; what remains is the bookkeeping
/// Linux does (the private expedited command needs registering first).
pub fn membarrier(m: &mut Machine, a: &Args) -> SysResult {
    const QUERY: u64 = 0;
    const GLOBAL: u64 = 1;
    const GLOBAL_EXPEDITED: u64 = 2;
    const REGISTER_GLOBAL_EXPEDITED: u64 = 4;
    const PRIVATE_EXPEDITED: u64 = 8;
    const REGISTER_PRIVATE_EXPEDITED: u64 = 16;
    if a.u(1) != 0 {
        return Err(Errno::EINVAL);
    }
    match a.u(0) {
        QUERY => Ok(GLOBAL
            | GLOBAL_EXPEDITED
            | REGISTER_GLOBAL_EXPEDITED
            | PRIVATE_EXPEDITED
            | REGISTER_PRIVATE_EXPEDITED),
        GLOBAL | GLOBAL_EXPEDITED | REGISTER_GLOBAL_EXPEDITED => Ok(0),
        REGISTER_PRIVATE_EXPEDITED => {
            m.os.standing.membarrier_registered = true;
            Ok(0)
        }
        PRIVATE_EXPEDITED if m.os.standing.membarrier_registered => Ok(0),
        PRIVATE_EXPEDITED => Err(Errno::EPERM),
        _ => Err(Errno::EINVAL),
    }
}
