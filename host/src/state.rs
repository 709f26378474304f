//! Store data for the component: the WASI context and its resource table, and the
//! host's JIT (which owns the separate JIT store).
//!
//! [`State::new`] decides what the emulator component may touch on the host:
//! the given preopened directories, the inherited standard streams and
//! environment, and the network (restricted to loopback peers unless
//! `--net=all`).

use std::path::{Path, PathBuf};

use crate::jit::JitHost;
use wasmtime::component::ResourceTable;
use wasmtime::error::Context as _;
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxView, WasiView};

/// A host directory made visible to the component at a guest path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    /// Directory on the host.
    pub host: PathBuf,
    /// Path under which the component sees it.
    pub guest: String,
}

/// Everything a [`wasmtime::Store`] running the component carries.
pub struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    /// The `mvvm:vm/jit` implementation (the JIT store lives here).
    pub jit: JitHost,
}

impl State {
    /// Builds the WASI context for one run of the component.
    ///
    /// `argv` becomes the component's argument list as is. The host's
    /// environment is passed on whole, except variables whose name or value
    /// is not UTF-8 (WASI 0.2 strings must be): they are left out. `PWD` is
    /// replaced by the guest path of the host's current directory (see
    /// [`guest_cwd`]), which the component uses to resolve relative paths, or
    /// removed when no preopen contains the current directory. `net_all`
    /// lets sockets reach any peer, not only loopback ones.
    pub fn new(
        argv: &[String],
        preopens: &[Preopen],
        net_all: bool,
        jit: JitHost,
    ) -> wasmtime::Result<Self> {
        let mut builder = WasiCtx::builder();
        builder
            .args(argv)
            .inherit_stdio()
            // The emulator makes many small file-system calls; running them on
            // this thread avoids a hop through Tokio's blocking pool.
            .allow_blocking_current_thread(true)
            // Network: TCP, UDP and name lookups, by default only with
            // loopback peers. Binds may also use the wildcard address (the implicit
            // bind of `connect` does); a peer elsewhere is then still refused
            // by the accept and receive checks.
            .allow_tcp(true)
            .allow_udp(true)
            .allow_ip_name_lookup(true)
            .socket_addr_check(move |addr, addr_use| {
                let ip = addr.ip().to_canonical();
                let allowed = net_all
                    || ip.is_loopback()
                    || (ip.is_unspecified()
                        && matches!(
                            addr_use,
                            SocketAddrUse::TcpBind
                                | SocketAddrUse::TcpListen
                                | SocketAddrUse::UdpBind
                        ));
                Box::pin(async move { allowed })
            });

        let mut env: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k != "PWD")
            .collect();
        if let Some(cwd) = guest_cwd(preopens) {
            builder.initial_cwd(&cwd);
            env.push(("PWD".to_owned(), cwd));
        }
        builder.envs(&env);

        for p in preopens {
            builder
                .preopened_dir(&p.host, &p.guest, FsPerms::ReadWrite)
                .with_context(|| format!("cannot open --dir {}", p.host.display()))?;
        }

        Ok(Self {
            wasi: builder.build(),
            table: ResourceTable::new(),
            jit,
        })
    }
}

/// The guest path of the host's current directory, if a preopen contains it.
///
/// With the default preopen of `/` as `/` this is the current directory
/// itself. When several preopens contain it, the deepest host directory wins.
fn guest_cwd(preopens: &[Preopen]) -> Option<String> {
    guest_path(&std::env::current_dir().ok()?, preopens)
}

/// The guest path of the absolute, canonical host path `cwd`.
fn guest_path(cwd: &Path, preopens: &[Preopen]) -> Option<String> {
    let (_, guest, rest) = preopens
        .iter()
        .filter(|p| p.guest.starts_with('/'))
        .filter_map(|p| {
            let host = p.host.canonicalize().ok()?;
            let rest = cwd.strip_prefix(&host).ok()?.to_str()?.to_owned();
            Some((host.components().count(), &p.guest, rest))
        })
        .max_by_key(|(depth, ..)| *depth)?;
    Some(if rest.is_empty() {
        guest.clone()
    } else {
        format!("{}/{rest}", guest.trim_end_matches('/'))
    })
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preopen(host: &str, guest: &str) -> Preopen {
        Preopen {
            host: PathBuf::from(host),
            guest: guest.to_owned(),
        }
    }

    #[test]
    fn maps_cwd_through_the_deepest_preopen() {
        let root = [preopen("/", "/")];
        assert_eq!(guest_path(Path::new("/"), &root).as_deref(), Some("/"));
        assert_eq!(
            guest_path(Path::new("/etc/ssl"), &root).as_deref(),
            Some("/etc/ssl")
        );
        let both = [preopen("/", "/"), preopen("/etc", "/e/")];
        assert_eq!(
            guest_path(Path::new("/etc/ssl"), &both).as_deref(),
            Some("/e/ssl")
        );
        assert_eq!(guest_path(Path::new("/etc"), &both).as_deref(), Some("/e/"));
        assert_eq!(
            guest_path(Path::new("/usr"), &[preopen("/etc", "/e")]),
            None
        );
    }
}
