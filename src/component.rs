//! The component's exports: `wasi:cli/run` (so `wasmtime run` can start MVVM),
//! `mvvm:vm/status`, which tells a host that wants it the guest's exact exit status
//! (WASI 0.2's `exit` only carries success or failure), and `mvvm:vm/machine`, the
//! embedding API (an adapter over `crate::embed`).
//!
//! With the `jit` feature the component is the `mvvm-jit` world instead: the same
//! exports plus the `mvvm:vm/jit` import, used by `crate::jit::backend`.

use crate::embed::{Config, Embedded, Error, Event};
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

use exports::mvvm::vm::machine as api;
use std::cell::RefCell;

/// `mvvm:vm/machine`'s resource: an [`Embedded`] process (the component runs on one
/// thread, and the resource methods take `&self`).
struct MachineResource(RefCell<Embedded>);

impl From<Error> for api::Error {
    fn from(e: Error) -> api::Error {
        match e {
            Error::BadExecutable(s) => api::Error::BadExecutable(s),
            Error::BadOption(s) => api::Error::BadOption(s),
            Error::BadRegister(i) => api::Error::BadRegister(i),
            Error::BadAddress(a) => api::Error::BadAddress(a),
            Error::BadSnapshot(s) => api::Error::BadSnapshot(s),
            Error::NoSyscall => api::Error::NoSyscall,
        }
    }
}

fn event(e: Event) -> api::Event {
    match e {
        Event::Exited(code) => api::Event::Exited(code),
        Event::Killed(sig) => api::Event::Killed(sig),
        Event::Breakpoint(pc) => api::Event::Breakpoint(pc),
        Event::BudgetSpent => api::Event::BudgetSpent,
        // Only numbers from `options.intercept`, which are u32, are reported.
        Event::Syscall(nr) => api::Event::Syscall(nr as u32),
    }
}

impl api::Guest for Component {
    type Machine = MachineResource;
}

impl api::GuestMachine for MachineResource {
    fn create(executable: Vec<u8>, o: api::Options) -> Result<api::Machine, api::Error> {
        let config = Config {
            args: o.args,
            env: o.env,
            sysroot: o.sysroot,
            cpu: o.cpu,
            memory: o.memory,
            stdin: o.stdin,
            intercept: o.intercept.into_iter().map(u64::from).collect(),
        };
        let m = Embedded::create(&executable, config)?;
        Ok(api::Machine::new(MachineResource(RefCell::new(m))))
    }

    fn snapshot(&self) -> Result<Vec<u8>, api::Error> {
        Ok(self.0.borrow().snapshot()?)
    }

    fn restore(snapshot: Vec<u8>) -> Result<api::Machine, api::Error> {
        let m = Embedded::restore(&snapshot)?;
        Ok(api::Machine::new(MachineResource(RefCell::new(m))))
    }

    fn run(&self, budget: u64) -> api::Event {
        event(self.0.borrow_mut().run(budget))
    }

    fn step(&self) -> api::Event {
        event(self.0.borrow_mut().step())
    }

    fn instructions(&self) -> u64 {
        self.0.borrow().instructions()
    }

    fn pc(&self) -> u64 {
        self.0.borrow().pc()
    }

    fn set_pc(&self, pc: u64) {
        self.0.borrow_mut().set_pc(pc)
    }

    fn x(&self, index: u32) -> Result<u64, api::Error> {
        Ok(self.0.borrow().x(index)?)
    }

    fn set_x(&self, index: u32, value: u64) -> Result<(), api::Error> {
        Ok(self.0.borrow_mut().set_x(index, value)?)
    }

    fn f(&self, index: u32) -> Result<u64, api::Error> {
        Ok(self.0.borrow().f(index)?)
    }

    fn set_f(&self, index: u32, value: u64) -> Result<(), api::Error> {
        Ok(self.0.borrow_mut().set_f(index, value)?)
    }

    fn read(&self, address: u64, len: u32) -> Result<Vec<u8>, api::Error> {
        Ok(self.0.borrow().read(address, len)?)
    }

    fn write(&self, address: u64, bytes: Vec<u8>) -> Result<(), api::Error> {
        Ok(self.0.borrow_mut().write(address, &bytes)?)
    }

    fn map_memory(&self, address: u64, len: u64, prot: api::Prot) -> Result<u64, api::Error> {
        let (r, w, x) = (
            prot & api::Prot::READ == api::Prot::READ,
            prot & api::Prot::WRITE == api::Prot::WRITE,
            prot & api::Prot::EXEC == api::Prot::EXEC,
        );
        Ok(self.0.borrow_mut().map(address, len, r, w, x)?)
    }

    fn symbol(&self, name: String) -> Option<u64> {
        self.0.borrow().symbol(&name)
    }

    fn answer_syscall(&self, result: i64) -> Result<(), api::Error> {
        Ok(self.0.borrow_mut().answer_syscall(result)?)
    }

    fn pass_syscall(&self) -> Result<(), api::Error> {
        Ok(self.0.borrow_mut().pass_syscall()?)
    }

    fn set_intercept(&self, numbers: Vec<u32>) {
        self.0
            .borrow_mut()
            .set_intercept(numbers.into_iter().map(u64::from))
    }

    fn take_stdout(&self) -> Vec<u8> {
        self.0.borrow_mut().take_stdout()
    }

    fn take_stderr(&self) -> Vec<u8> {
        self.0.borrow_mut().take_stderr()
    }

    fn add_breakpoint(&self, pc: u64) {
        self.0.borrow_mut().add_breakpoint(pc)
    }

    fn remove_breakpoint(&self, pc: u64) {
        self.0.borrow_mut().remove_breakpoint(pc)
    }
}

export!(Component);
