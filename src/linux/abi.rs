//! Guest-visible struct layouts (riscv64, little-endian, LP64) and helpers to move
//! them between guest memory and handlers, so handlers do no byte arithmetic.

use super::{Errno, SysResult};
use crate::machine::Machine;

/// A guest struct being assembled: fields are put at their byte offsets.
#[derive(Debug)]
pub struct Out(pub Vec<u8>);

impl Out {
    /// A zeroed struct of `size` bytes.
    pub fn new(size: usize) -> Out {
        Out(vec![0; size])
    }
    /// Puts a little-endian u64 at `off`.
    pub fn u64(&mut self, off: usize, v: u64) -> &mut Out {
        self.0[off..off + 8].copy_from_slice(&v.to_le_bytes());
        self
    }
    /// Puts a little-endian u32 at `off`.
    pub fn u32(&mut self, off: usize, v: u32) -> &mut Out {
        self.0[off..off + 4].copy_from_slice(&v.to_le_bytes());
        self
    }
    /// Puts a little-endian u16 at `off`.
    pub fn u16(&mut self, off: usize, v: u16) -> &mut Out {
        self.0[off..off + 2].copy_from_slice(&v.to_le_bytes());
        self
    }
    /// Puts bytes at `off` (truncated to the struct).
    pub fn bytes(&mut self, off: usize, b: &[u8]) -> &mut Out {
        let n = b.len().min(self.0.len().saturating_sub(off));
        self.0[off..off + n].copy_from_slice(&b[..n]);
        self
    }
}

/// File metadata in the form `stat`/`statx` need.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileStat {
    pub dev: u64,
    pub ino: u64,
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: u64,
    pub blksize: u32,
    pub blocks: u64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
}

/// `struct timespec`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}

impl Timespec {
    /// From a duration since some epoch.
    pub fn from_duration(d: std::time::Duration) -> Timespec {
        Timespec {
            sec: d.as_secs() as i64,
            nsec: d.subsec_nanos() as i64,
        }
    }

    /// As a duration (the fields are in range: [`Machine::read_timespec`] checks them).
    pub fn to_duration(self) -> std::time::Duration {
        std::time::Duration::new(self.sec as u64, self.nsec as u32)
    }
}

/// `struct stat` (asm-generic, 128 bytes).
pub fn stat_bytes(s: &FileStat) -> Vec<u8> {
    let mut o = Out::new(128);
    o.u64(0, s.dev)
        .u64(8, s.ino)
        .u32(16, s.mode)
        .u32(20, s.nlink)
        .u32(24, s.uid)
        .u32(28, s.gid);
    o.u64(32, s.rdev)
        .u64(48, s.size)
        .u32(56, s.blksize)
        .u64(64, s.blocks);
    o.u64(72, s.atime.sec as u64).u64(80, s.atime.nsec as u64);
    o.u64(88, s.mtime.sec as u64).u64(96, s.mtime.nsec as u64);
    o.u64(104, s.ctime.sec as u64).u64(112, s.ctime.nsec as u64);
    o.0
}

/// `struct statx` (256 bytes) with the basic-stats mask.
pub fn statx_bytes(s: &FileStat) -> Vec<u8> {
    const STATX_BASIC_STATS: u32 = 0x7ff;
    let mut o = Out::new(256);
    o.u32(0, STATX_BASIC_STATS)
        .u32(4, s.blksize)
        .u32(16, s.nlink)
        .u32(20, s.uid)
        .u32(24, s.gid);
    o.u16(28, s.mode as u16)
        .u64(32, s.ino)
        .u64(40, s.size)
        .u64(48, s.blocks);
    for (off, t) in [(64, s.atime), (96, s.ctime), (112, s.mtime)] {
        o.u64(off, t.sec as u64).u32(off + 8, t.nsec as u32);
    }
    o.u32(128, (s.rdev >> 8) as u32)
        .u32(132, (s.rdev & 0xff) as u32);
    o.u32(136, (s.dev >> 8) as u32)
        .u32(140, (s.dev & 0xff) as u32);
    o.0
}

impl Machine {
    /// Copies `data` to guest memory at `addr` (EFAULT if not writable), dropping
    /// decoded code it overwrites.
    pub fn copy_out(&mut self, addr: u64, data: &[u8]) -> Result<(), Errno> {
        match self.mem.write_bytes(addr, data) {
            None => Err(Errno::EFAULT),
            Some(true) => {
                self.code
                    .invalidate(&mut self.mem, addr, addr + data.len() as u64);
                Ok(())
            }
            Some(false) => Ok(()),
        }
    }

    /// Reads `len` guest bytes at `addr` (EFAULT if not readable).
    pub fn copy_in(&self, addr: u64, len: u64) -> Result<Vec<u8>, Errno> {
        self.mem
            .slice(addr, len)
            .map(<[u8]>::to_vec)
            .ok_or(Errno::EFAULT)
    }

    /// Reads a guest u64.
    pub fn read_u64(&self, addr: u64) -> Result<u64, Errno> {
        let b = self.mem.slice(addr, 8).ok_or(Errno::EFAULT)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| Errno::EFAULT)?))
    }

    /// Writes a guest u64.
    pub fn write_u64(&mut self, addr: u64, v: u64) -> Result<(), Errno> {
        self.copy_out(addr, &v.to_le_bytes())
    }

    /// Reads a guest u32.
    pub fn read_u32(&self, addr: u64) -> Result<u32, Errno> {
        let b = self.mem.slice(addr, 4).ok_or(Errno::EFAULT)?;
        Ok(u32::from_le_bytes(b.try_into().map_err(|_| Errno::EFAULT)?))
    }

    /// Reads a NUL-terminated guest string (at most PATH_MAX bytes).
    pub fn read_path(&self, addr: u64) -> Result<String, Errno> {
        let b = self.mem.read_cstr(addr, 4096).ok_or(Errno::EFAULT)?;
        String::from_utf8(b).map_err(|_| Errno::EINVAL)
    }

    /// Reads a `struct timespec`.
    pub fn read_timespec(&self, addr: u64) -> Result<Timespec, Errno> {
        let t = Timespec {
            sec: self.read_u64(addr)? as i64,
            nsec: self.read_u64(addr + 8)? as i64,
        };
        if !(0..1_000_000_000).contains(&t.nsec) || t.sec < 0 {
            return Err(Errno::EINVAL);
        }
        Ok(t)
    }

    /// Writes a `struct timespec` (a null pointer is allowed and skipped).
    pub fn write_timespec(&mut self, addr: u64, t: Timespec) -> SysResult {
        if addr != 0 {
            let mut o = Out::new(16);
            o.u64(0, t.sec as u64).u64(8, t.nsec as u64);
            self.copy_out(addr, &o.0)?;
        }
        Ok(0)
    }

    /// Reads an iovec array: `(base, len)` pairs.
    pub fn read_iovecs(&self, addr: u64, count: u64) -> Result<Vec<(u64, u64)>, Errno> {
        if count > 1024 {
            return Err(Errno::EINVAL);
        }
        (0..count)
            .map(|i| {
                Ok((
                    self.read_u64(addr + i * 16)?,
                    self.read_u64(addr + i * 16 + 8)?,
                ))
            })
            .collect()
    }
}

/// A guest struct being read: fields are taken from their byte offsets (missing
/// bytes read as zero, so a short buffer never panics).
#[derive(Debug, Clone, Copy)]
pub struct In<'a>(pub &'a [u8]);

impl In<'_> {
    /// The little-endian u64 at `off`.
    pub fn u64(&self, off: usize) -> u64 {
        let mut b = [0u8; 8];
        if let Some(s) = self.0.get(off..off + 8) {
            b.copy_from_slice(s);
        }
        u64::from_le_bytes(b)
    }
    /// The little-endian u32 at `off`.
    pub fn u32(&self, off: usize) -> u32 {
        let mut b = [0u8; 4];
        if let Some(s) = self.0.get(off..off + 4) {
            b.copy_from_slice(s);
        }
        u32::from_le_bytes(b)
    }
}

/// `stack_t` (include/uapi/asm-generic/signal.h): `ss_sp`, `int ss_flags`, `ss_size`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackT {
    pub sp: u64,
    pub flags: u32,
    pub size: u64,
}

impl StackT {
    /// `sizeof(stack_t)`.
    pub const SIZE: usize = 24;
    const SP: usize = 0;
    const FLAGS: usize = 8;
    const SS_SIZE: usize = 16;

    /// Puts the struct at `at` in `o`.
    pub fn put(&self, o: &mut Out, at: usize) {
        o.u64(at + Self::SP, self.sp)
            .u32(at + Self::FLAGS, self.flags)
            .u64(at + Self::SS_SIZE, self.size);
    }
    /// Takes the struct at `at` in `b`.
    pub fn get(b: In<'_>, at: usize) -> StackT {
        StackT {
            sp: b.u64(at + Self::SP),
            flags: b.u32(at + Self::FLAGS),
            size: b.u64(at + Self::SS_SIZE),
        }
    }
}

/// `siginfo_t` (include/uapi/asm-generic/siginfo.h): 128 bytes; `si_signo`,
/// `si_errno`, `si_code` then a union at 16 (`_kill`: `si_pid`, `si_uid`;
/// `_sigfault`: `si_addr`; `_rt`: `si_pid`, `si_uid`, `si_value`; `_sigchld`:
/// `si_pid`, `si_uid`, `si_status`).
pub mod siginfo {
    /// `sizeof(siginfo_t)`.
    pub const SIZE: usize = 128;
    /// `int si_signo`.
    pub const SIGNO: usize = 0;
    /// `int si_code`.
    pub const CODE: usize = 8;
    /// `pid_t si_pid` (`_kill`, `_rt`).
    pub const PID: usize = 16;
    /// `uid_t si_uid` (`_kill`, `_rt`).
    pub const UID: usize = 20;
    /// `void *si_addr` (`_sigfault`).
    pub const ADDR: usize = 16;

    /// A siginfo sent by a process (`kill`: SI_USER, `tkill`: SI_TKILL) or the
    /// kernel (SI_KERNEL with pid and uid 0).
    pub fn kill(sig: u8, code: i32, pid: u32, uid: u32) -> [u8; SIZE] {
        let mut o = super::Out::new(SIZE);
        o.u32(SIGNO, sig as u32)
            .u32(CODE, code as u32)
            .u32(PID, pid)
            .u32(UID, uid);
        o.0.try_into().unwrap_or([0; SIZE])
    }

    /// A siginfo of a POSIX timer's expiry (SI_TIMER): the timer's id, the
    /// expirations it missed, and the value given at `timer_create`.
    pub fn timer(sig: u8, id: u32, overrun: u32, value: u64) -> [u8; SIZE] {
        const SI_TIMER: i32 = -2;
        // Offsets as `timer.rs` reads them back: 8 code, 16 id, 20 overrun.
        let mut o = super::Out::new(SIZE);
        o.u32(SIGNO, sig as u32)
            .u32(CODE, SI_TIMER as u32)
            .u32(16, id)
            .u32(20, overrun)
            .u64(24, value);
        o.0.try_into().unwrap_or([0; SIZE])
    }

    /// `int si_status` (`_sigchld`).
    pub const STATUS: usize = 24;
    /// `si_code` of `SIGCHLD`: the child exited, was killed.
    pub const CLD_EXITED: i32 = 1;
    pub const CLD_KILLED: i32 = 2;
    pub const CLD_STOPPED: i32 = 5;
    pub const CLD_CONTINUED: i32 = 6;

    /// A siginfo about child `pid`'s end (`SIGCHLD`, `waitid`): `code` is a
    /// `CLD_*` value, `status` the exit code or signal.
    pub fn child(sig: u8, code: i32, pid: u32, uid: u32, status: i32) -> [u8; SIZE] {
        let mut o = super::Out::new(SIZE);
        o.u32(SIGNO, sig as u32)
            .u32(CODE, code as u32)
            .u32(PID, pid)
            .u32(UID, uid)
            .u32(STATUS, status as u32);
        o.0.try_into().unwrap_or([0; SIZE])
    }

    /// A siginfo for a synchronous fault at `addr`.
    pub fn fault(sig: u8, code: i32, addr: u64) -> [u8; SIZE] {
        let mut o = super::Out::new(SIZE);
        o.u32(SIGNO, sig as u32)
            .u32(CODE, code as u32)
            .u64(ADDR, addr);
        o.0.try_into().unwrap_or([0; SIZE])
    }
}

/// riscv64 `struct rt_sigframe` (arch/riscv/kernel/signal.c) without vector state:
/// `siginfo_t info` then `struct ucontext uc` (arch/riscv/include/uapi/asm/ucontext.h):
/// `uc_flags`, `uc_link`, `stack_t uc_stack`, `sigset_t uc_sigmask` (8 bytes, then
/// `__unused` up to 128 bytes), then `struct sigcontext uc_mcontext` aligned to 16
/// (arch/riscv/include/uapi/asm/sigcontext.h): `struct user_regs_struct sc_regs`
/// (pc in place of x0, then x1..x31) and `union __riscv_fp_state sc_fpregs` (528
/// bytes; the D variant `f[32]`, `fcsr`; its tail is `__riscv_extra_ext_header`:
/// a reserved word that must be zero and the END context header, magic 0 size 0).
pub mod sigframe {
    use super::{In, Out, StackT};

    /// `sizeof(struct rt_sigframe)`: a multiple of 16.
    pub const SIZE: usize = 1088;
    /// `info`.
    pub const INFO: usize = 0;
    /// `uc`.
    pub const UC: usize = 128;
    /// `uc.uc_flags`.
    pub const UC_FLAGS: usize = UC;
    /// `uc.uc_link`.
    pub const UC_LINK: usize = UC + 8;
    /// `uc.uc_stack`.
    pub const UC_STACK: usize = UC + 16;
    /// `uc.uc_sigmask`.
    pub const UC_SIGMASK: usize = UC + 40;
    /// `uc.uc_mcontext.sc_regs`: pc then x1..x31, 8 bytes each.
    pub const REGS: usize = UC + 176;
    /// `uc.uc_mcontext.sc_fpregs.d.f[32]`.
    pub const FREGS: usize = REGS + 32 * 8;
    /// `uc.uc_mcontext.sc_fpregs.d.fcsr`.
    pub const FCSR: usize = FREGS + 32 * 8;
    /// `uc.uc_mcontext.sc_extdesc.reserved` (must be zero at sigreturn).
    pub const EXT_RESERVED: usize = FREGS + 516;
    /// `uc.uc_mcontext.sc_extdesc.hdr.magic` (END_MAGIC = 0).
    pub const EXT_MAGIC: usize = FREGS + 520;
    /// `uc.uc_mcontext.sc_extdesc.hdr.size` (END_HDR_SIZE = 0).
    pub const EXT_SIZE: usize = FREGS + 524;
    const _: () = assert!(EXT_SIZE + 4 == SIZE);

    /// The saved state a signal frame holds.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Frame {
        /// `siginfo_t`.
        pub info: [u8; super::siginfo::SIZE],
        /// `uc_stack`: the alternate stack when the signal was taken.
        pub stack: StackT,
        /// `uc_sigmask`: the mask to restore.
        pub sigmask: u64,
        /// `sc_regs`: `[0]` is the pc, `[i]` is `x[i]`.
        pub regs: [u64; 32],
        /// FP registers (raw bits).
        pub fregs: [u64; 32],
        /// `fcsr`.
        pub fcsr: u32,
        /// Whether the extension area is the empty one the kernel accepts.
        pub ext_ok: bool,
    }

    impl Frame {
        /// The frame's bytes.
        pub fn to_bytes(&self) -> Vec<u8> {
            let mut o = Out::new(SIZE);
            o.bytes(INFO, &self.info)
                .u64(UC_FLAGS, 0)
                .u64(UC_LINK, 0)
                .u64(UC_SIGMASK, self.sigmask);
            self.stack.put(&mut o, UC_STACK);
            for (i, r) in self.regs.iter().enumerate() {
                o.u64(REGS + 8 * i, *r);
            }
            for (i, f) in self.fregs.iter().enumerate() {
                o.u64(FREGS + 8 * i, *f);
            }
            o.u32(FCSR, self.fcsr);
            o.0
        }

        /// Parses a frame read from the guest.
        pub fn from_bytes(b: &[u8]) -> Frame {
            let b = In(b);
            let mut info = [0u8; super::siginfo::SIZE];
            if let Some(s) = b.0.get(INFO..INFO + info.len()) {
                info.copy_from_slice(s);
            }
            Frame {
                info,
                stack: StackT::get(b, UC_STACK),
                sigmask: b.u64(UC_SIGMASK),
                regs: std::array::from_fn(|i| b.u64(REGS + 8 * i)),
                fregs: std::array::from_fn(|i| b.u64(FREGS + 8 * i)),
                fcsr: b.u32(FCSR),
                ext_ok: b.u32(EXT_RESERVED) == 0 && b.u32(EXT_MAGIC) == 0 && b.u32(EXT_SIZE) == 0,
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn layout_round_trips() {
            let f = Frame {
                info: [7; 128],
                stack: StackT {
                    sp: 0x1000,
                    flags: 2,
                    size: 0x2000,
                },
                sigmask: 1 << 9,
                regs: std::array::from_fn(|i| i as u64 * 3),
                fregs: std::array::from_fn(|i| !(i as u64)),
                fcsr: 0xe5,
                ext_ok: true,
            };
            let b = f.to_bytes();
            assert_eq!(b.len(), SIZE);
            // Offsets checked against riscv64 gcc's offsetof on the uapi headers.
            assert_eq!(In(&b).u64(UC + 40), 1 << 9);
            assert_eq!(In(&b).u64(304 + 8 * 2), 6);
            assert_eq!(In(&b).u32(304 + 512), 0xe5);
            assert_eq!(Frame::from_bytes(&b), f);
        }
    }
}
