//! Where generated modules are compiled and run: the [`Backend`] trait, and its one
//! real implementation, the host's `mvvm:vm/jit` import (`wit/jit.wit`), which
//! exists only in the component built with the `jit` feature.
//!
//! Natively, and in the portable component, there is no backend and the JIT stays
//! off; tests drive the JIT with their own backends.

/// Compiles generated modules and runs their functions.
pub trait Backend {
    /// Compiles and installs `module`; returns the table index of its function `f0`.
    fn compile(&mut self, module: &[u8]) -> Result<u32, String>;
    /// Runs the function at table index `func` from block `entry` on the hart at
    /// component address `state`; returns the exit word (see `abi`).
    fn enter(&mut self, func: u32, entry: u32, state: u32) -> u32;
    /// Drops everything compiled; table indices handed out become invalid.
    fn flush(&mut self);
    /// Starts compiling `module` in the background and returns its ticket, or
    /// `None` when this backend only compiles synchronously.
    fn start(&mut self, _module: &[u8]) -> Option<u32> {
        None
    }
    /// How the background compilation `ticket` went: `None` while it runs, then
    /// (once) what [`Backend::compile`] would have returned, with the compiler's
    /// time. Tickets started before a flush report an error.
    fn done(&mut self, _ticket: u32) -> Option<Result<(u32, std::time::Duration), String>> {
        None
    }
}

/// The host's backend, after registering this component's memory with it, or why
/// there is none.
#[cfg(all(target_os = "wasi", feature = "jit"))]
pub fn host() -> Result<Box<dyn Backend>, String> {
    use crate::component::mvvm::vm::jit;
    let mut bytes = [0u8; 8];
    crate::linux::system::random_fill(&mut bytes);
    // The cookie lives on the heap (in linear memory) at a stable address while the
    // host looks for it.
    let cookie = Box::new(u64::from_le_bytes(bytes) | 1);
    let addr = &*cookie as *const u64 as usize as u32;
    jit::register_memory(addr, *cookie)?;

    struct Host;
    impl Backend for Host {
        fn compile(&mut self, module: &[u8]) -> Result<u32, String> {
            jit::compile(module)
        }
        fn enter(&mut self, func: u32, entry: u32, state: u32) -> u32 {
            jit::enter(func, entry, state)
        }
        fn flush(&mut self) {
            jit::flush()
        }
        fn start(&mut self, module: &[u8]) -> Option<u32> {
            Some(jit::start_compile(module))
        }
        fn done(&mut self, ticket: u32) -> Option<Result<(u32, std::time::Duration), String>> {
            let done = jit::compiled(ticket)?;
            Some(done.map(|c| (c.index, std::time::Duration::from_nanos(c.nanos))))
        }
    }
    Ok(Box::new(Host))
}

/// The host's backend: none in this build.
#[cfg(not(all(target_os = "wasi", feature = "jit")))]
pub fn host() -> Result<Box<dyn Backend>, String> {
    Err("this build of MVVM has no JIT (the component's `jit` feature)".into())
}
