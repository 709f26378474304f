//! Linux errno values as guests see them, and the mapping from host I/O errors.

macro_rules! errnos {
    ($($name:ident = $v:literal, $msg:literal;)*) => {
        /// A Linux error number (system calls return its negation).
        #[allow(missing_docs, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u16)]
        pub enum Errno { $($name = $v,)* }

        impl Errno {
            /// strace-style name, e.g. `ENOENT`.
            pub fn name(self) -> &'static str {
                match self { $(Errno::$name => stringify!($name),)* }
            }

            /// strerror text.
            pub fn message(self) -> &'static str {
                match self { $(Errno::$name => $msg,)* }
            }
        }
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Invalid cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    ETXTBSY = 26, "Text file busy";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EPIPE = 32, "Broken pipe";
    EDOM = 33, "Numerical argument out of domain";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOLCK = 37, "No locks available";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    ENODATA = 61, "No data available";
    EOVERFLOW = 75, "Value too large for defined data type";
    EILSEQ = 84, "Invalid or incomplete multibyte or wide character";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EDESTADDRREQ = 89, "Destination address required";
    EMSGSIZE = 90, "Message too long";
    EPROTOTYPE = 91, "Protocol wrong type for socket";
    ENOPROTOOPT = 92, "Protocol not available";
    EPROTONOSUPPORT = 93, "Protocol not supported";
    ESOCKTNOSUPPORT = 94, "Socket type not supported";
    EOPNOTSUPP = 95, "Operation not supported";
    EAFNOSUPPORT = 97, "Address family not supported by protocol";
    EADDRINUSE = 98, "Address already in use";
    EADDRNOTAVAIL = 99, "Cannot assign requested address";
    ENETDOWN = 100, "Network is down";
    ENETUNREACH = 101, "Network is unreachable";
    ECONNABORTED = 103, "Software caused connection abort";
    ECONNRESET = 104, "Connection reset by peer";
    ENOBUFS = 105, "No buffer space available";
    EISCONN = 106, "Transport endpoint is already connected";
    ENOTCONN = 107, "Transport endpoint is not connected";
    ETIMEDOUT = 110, "Connection timed out";
    ECONNREFUSED = 111, "Connection refused";
    EHOSTUNREACH = 113, "No route to host";
    EALREADY = 114, "Operation already in progress";
    EINPROGRESS = 115, "Operation now in progress";
}

impl From<std::io::Error> for Errno {
    fn from(e: std::io::Error) -> Errno {
        e.raw_os_error()
            .and_then(from_host_errno)
            .unwrap_or_else(|| from_kind(e.kind()))
    }
}

/// Host errno numbers are Linux's natively.
#[cfg(not(target_os = "wasi"))]
fn from_host_errno(n: i32) -> Option<Errno> {
    ALL.iter().copied().find(|e| *e as i32 == n)
}

/// wasi-libc numbers its errno values alphabetically (WASI's `errno` enum); map the
/// ones file, clock and socket operations can produce.
#[cfg(target_os = "wasi")]
fn from_host_errno(n: i32) -> Option<Errno> {
    use Errno::*;
    Some(match n {
        1 => E2BIG,
        2 => EACCES,
        3 => EADDRINUSE,
        4 => EADDRNOTAVAIL,
        5 => EAFNOSUPPORT,
        6 => EAGAIN,
        7 => EALREADY,
        8 => EBADF,
        10 => EBUSY,
        12 => ECHILD,
        13 => ECONNABORTED,
        14 => ECONNREFUSED,
        15 => ECONNRESET,
        16 => EDEADLK,
        17 => EDESTADDRREQ,
        18 => EDOM,
        20 => EEXIST,
        21 => EFAULT,
        22 => EFBIG,
        23 => EHOSTUNREACH,
        25 => EILSEQ,
        26 => EINPROGRESS,
        27 => EINTR,
        28 => EINVAL,
        29 => EIO,
        30 => EISCONN,
        31 => EISDIR,
        32 => ELOOP,
        33 => EMFILE,
        34 => EMLINK,
        35 => EMSGSIZE,
        37 => ENAMETOOLONG,
        38 => ENETDOWN,
        40 => ENETUNREACH,
        41 => ENFILE,
        42 => ENOBUFS,
        43 => ENODEV,
        44 => ENOENT,
        45 => ENOEXEC,
        46 => ENOLCK,
        48 => ENOMEM,
        50 => ENOPROTOOPT,
        51 => ENOSPC,
        52 => ENOSYS,
        53 => ENOTCONN,
        54 => ENOTDIR,
        55 => ENOTEMPTY,
        57 => ENOTSOCK,
        58 => EOPNOTSUPP,
        59 => ENOTTY,
        60 => ENXIO,
        61 => EOVERFLOW,
        63 => EPERM,
        64 => EPIPE,
        66 => EPROTONOSUPPORT,
        67 => EPROTOTYPE,
        68 => ERANGE,
        69 => EROFS,
        70 => ESPIPE,
        71 => ESRCH,
        73 => ETIMEDOUT,
        74 => ETXTBSY,
        75 => EXDEV,
        76 => EACCES, // ENOTCAPABLE: outside the granted directories
        _ => return None,
    })
}

fn from_kind(k: std::io::ErrorKind) -> Errno {
    use std::io::ErrorKind as K;
    match k {
        K::NotFound => Errno::ENOENT,
        K::PermissionDenied => Errno::EACCES,
        K::AlreadyExists => Errno::EEXIST,
        K::WouldBlock => Errno::EAGAIN,
        K::InvalidInput => Errno::EINVAL,
        K::Interrupted => Errno::EINTR,
        K::BrokenPipe => Errno::EPIPE,
        K::Unsupported => Errno::EOPNOTSUPP,
        K::OutOfMemory => Errno::ENOMEM,
        K::ConnectionRefused => Errno::ECONNREFUSED,
        K::ConnectionReset => Errno::ECONNRESET,
        K::ConnectionAborted => Errno::ECONNABORTED,
        K::NotConnected => Errno::ENOTCONN,
        K::AddrInUse => Errno::EADDRINUSE,
        K::AddrNotAvailable => Errno::EADDRNOTAVAIL,
        K::TimedOut => Errno::ETIMEDOUT,
        _ => Errno::EIO,
    }
}

#[cfg(not(target_os = "wasi"))]
const ALL: &[Errno] = {
    use Errno::*;
    &[
        EPERM,
        ENOENT,
        ESRCH,
        EINTR,
        EIO,
        ENXIO,
        E2BIG,
        ENOEXEC,
        EBADF,
        ECHILD,
        EAGAIN,
        ENOMEM,
        EACCES,
        EFAULT,
        EBUSY,
        EEXIST,
        EXDEV,
        ENODEV,
        ENOTDIR,
        EISDIR,
        EINVAL,
        ENFILE,
        EMFILE,
        ENOTTY,
        ETXTBSY,
        EFBIG,
        ENOSPC,
        ESPIPE,
        EROFS,
        EMLINK,
        EPIPE,
        EDOM,
        ERANGE,
        EDEADLK,
        ENAMETOOLONG,
        ENOLCK,
        ENOSYS,
        ENOTEMPTY,
        ELOOP,
        ENODATA,
        EOVERFLOW,
        EILSEQ,
        ENOTSOCK,
        EPROTONOSUPPORT,
        EPROTOTYPE,
        EOPNOTSUPP,
        EAFNOSUPPORT,
        ECONNREFUSED,
        ETIMEDOUT,
        EDESTADDRREQ,
        EMSGSIZE,
        ENOPROTOOPT,
        ESOCKTNOSUPPORT,
        EADDRINUSE,
        EADDRNOTAVAIL,
        ENETDOWN,
        ENETUNREACH,
        ECONNABORTED,
        ECONNRESET,
        ENOBUFS,
        EISCONN,
        ENOTCONN,
        EHOSTUNREACH,
        EALREADY,
        EINPROGRESS,
    ]
};
