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
