//! The component's exports: `wasi:cli/run` (so `wasmtime run` can start MVVM) and
//! `mvvm:vm/status`, which tells a host that wants it the guest's exact exit status
//! (WASI 0.2's `exit` only carries success or failure).
//!
//! With the `jit` feature the component is the `mvvm-jit` world instead: the same
//! exports plus the `mvvm:vm/jit` import, used by `crate::jit::backend`.

use std::sync::atomic::{AtomicU32, Ordering};

#[cfg(not(feature = "jit"))]
wit_bindgen::generate!({
    path: "wit",
    world: "mvvm",
    generate_all,
});

#[cfg(feature = "jit")]
wit_bindgen::generate!({
    path: "wit",
    world: "mvvm-jit",
    generate_all,
});

static STATUS: AtomicU32 = AtomicU32::new(0);

struct Component;

impl exports::wasi::cli::run::Guest for Component {
    fn run() -> Result<(), ()> {
        let args = std::env::args_os().skip(1).collect();
        let code = crate::cli::main(args);
        STATUS.store(code as u32, Ordering::Relaxed);
        if code == 0 {
            Ok(())
        } else {
            Err(())
        }
    }
}

impl exports::mvvm::vm::status::Guest for Component {
    fn exit_status() -> u32 {
        STATUS.load(Ordering::Relaxed)
    }
}

export!(Component);
