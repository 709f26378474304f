//! Extended attributes. WASI has none, so every file has an empty attribute list:
//! listing gives nothing, reading a name ENODATA, removing one ENODATA, and setting
//! one EOPNOTSUPP (what Linux says on a filesystem without user attributes). The
//! file itself is looked up first, so a missing path is still ENOENT and a bad
//! descriptor EBADF.

use super::{fs, Args, Errno, SysResult, Sysno};
use crate::machine::Machine;

/// Longest attribute name Linux takes.
const XATTR_NAME_MAX: usize = 255;

/// `[lf]{get,set,list,remove}xattr`.
pub fn xattr(m: &mut Machine, s: Sysno, a: &Args) -> SysResult {
    use Sysno::*;
    // The file: a path (followed or not) or a descriptor.
    match s {
        getxattr | setxattr | listxattr | removexattr => {
            fs::stat_path(m, fs::AT_FDCWD, a.addr(0), 0)
        }
        lgetxattr | lsetxattr | llistxattr | lremovexattr => {
            fs::stat_path(m, fs::AT_FDCWD, a.addr(0), fs::AT_SYMLINK_NOFOLLOW)
        }
        _ => fs::stat_fd(m, a.int(0)),
    }?;
    if matches!(s, listxattr | llistxattr | flistxattr) {
        return Ok(0);
    }
    let name = m.mem.read_cstr(a.addr(1), 4096).ok_or(Errno::EFAULT)?;
    if name.is_empty() || name.len() > XATTR_NAME_MAX {
        return Err(Errno::ERANGE);
    }
    match s {
        setxattr | lsetxattr | fsetxattr => Err(Errno::EOPNOTSUPP),
        _ => Err(Errno::ENODATA),
    }
}
