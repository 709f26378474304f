//! The embedding API: a guest process driven call by call (`wit/machine.wit`'s
//! `machine` resource is a thin adapter over [`Embedded`]). It adds to a
//! [`Machine`] what an embedder needs: instruction budgets, single steps,
//! breakpoints, checked register and memory access, and the executable's symbols.
//! Every argument is validated; nothing here panics on bad input.

use crate::isa::ExtSet;
use crate::linux::fd::{MemoryStdio, Sink};
use crate::linux::{self, ExitStatus};
use crate::machine::{Machine, Options, Stop};
use crate::mem::{MAPPED, R, W, X};
use std::collections::BTreeSet;

/// What a machine is made from besides the executable (see `wit/machine.wit`).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `argv`; the executable's name is used when empty.
    pub args: Vec<String>,
    /// `NAME=value` strings.
    pub env: Vec<String>,
    /// `-L`.
    pub sysroot: Option<String>,
    /// `-cpu`.
    pub cpu: Option<String>,
    /// The guest address-window size.
    pub memory: Option<u64>,
    /// Standard input in memory; then standard output and error are kept for
    /// [`Embedded::take_stdout`] and [`Embedded::take_stderr`].
    pub stdin: Option<Vec<u8>>,
    /// System call numbers the embedder answers ([`Event::Syscall`]).
    pub intercept: Vec<u64>,
}

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The executable could not be loaded.
    BadExecutable(String),
    /// A malformed option.
    BadOption(String),
    /// No such register.
    BadRegister(u32),
    /// Not mapped with the needed permission.
    BadAddress(u64),
    /// A snapshot could not be taken or restored (the message says why).
    BadSnapshot(String),
    /// No intercepted system call is waiting for an answer.
    NoSyscall,
}

/// Why [`Embedded::run`] or [`Embedded::step`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Exit status 0-255.
    Exited(u8),
    /// Killed by this signal.
    Killed(u8),
    /// Stopped before the instruction at this breakpoint.
    Breakpoint(u64),
    /// The budget is spent.
    BudgetSpent,
    /// The pc is at an `ecall` for this intercepted system call number.
    Syscall(u64),
}

/// A guest process under an embedder's control.
pub struct Embedded {
    machine: Machine,
    breakpoints: BTreeSet<u64>,
    /// The pc of the `ecall` that [`Event::Syscall`] reported, until it is answered.
    syscall_at: Option<u64>,
    /// Symbol name -> address as loaded.
    symbols: Vec<(String, u64)>,
}

/// The name the guest sees for an executable given as bytes.
const GUEST_PATH: &str = "/proc/self/exe";

impl Embedded {
    /// Loads `executable` as `execve` would.
    pub fn create(executable: &[u8], config: Config) -> Result<Embedded, Error> {
        let mut opts = Options {
            sysroot: config.sysroot,
            jit_threshold: 0,
            ..Options::default()
        };
        if let Some(cpu) = &config.cpu {
            opts.cpu = ExtSet::parse(cpu).map_err(Error::BadOption)?;
        }
        if let Some(size) = config.memory {
            if !(1 << 24..=3 << 30).contains(&size) {
                return Err(Error::BadOption(
                    "memory must be between 16 MiB and 3 GiB".into(),
                ));
            }
            opts.mem_size = size;
        }
        let mut machine = Machine::new(&opts, "/".into()).map_err(Error::BadOption)?;
        if let Some(stdin) = config.stdin {
            machine.os.use_memory_stdio(stdin);
        }
        machine.intercepted = config.intercept.into_iter().collect();
        let name = config.args.first().cloned().unwrap_or(GUEST_PATH.into());
        let mut argv: Vec<Vec<u8>> = config.args.into_iter().map(String::into_bytes).collect();
        if argv.is_empty() {
            argv.push(name.clone().into_bytes());
        }
        let envp = config.env.into_iter().map(String::into_bytes).collect();
        let bias = machine
            .load_image(&name, GUEST_PATH, executable, argv, envp)
            .map_err(|e| Error::BadExecutable(e.to_string()))?;
        Ok(Embedded {
            machine,
            breakpoints: BTreeSet::new(),
            syscall_at: None,
            symbols: symbols(executable, bias),
        })
    }

    /// The whole process as bytes (see [`crate::snapshot`]), symbols included;
    /// breakpoints are not saved.
    pub fn snapshot(&self) -> Result<Vec<u8>, Error> {
        crate::snapshot::save(&self.machine, &self.symbols)
            .map_err(|e| Error::BadSnapshot(e.to_string()))
    }

    /// A process rebuilt from [`Embedded::snapshot`] bytes, without breakpoints.
    pub fn restore(bytes: &[u8]) -> Result<Embedded, Error> {
        let opts = Options {
            jit_threshold: 0,
            ..Options::default()
        };
        let (machine, symbols) =
            crate::snapshot::load(bytes, &opts).map_err(|e| Error::BadSnapshot(e.to_string()))?;
        Ok(Embedded {
            machine,
            breakpoints: BTreeSet::new(),
            syscall_at: None,
            symbols,
        })
    }

    /// Runs at most about `budget` instructions (see [`Machine::run_for`]).
    pub fn run(&mut self, budget: u64) -> Event {
        let stop = self.machine.run_for(budget, &self.breakpoints);
        self.event(stop, false)
    }

    /// Executes one instruction.
    pub fn step(&mut self) -> Event {
        let stop = self.machine.run_for(1, &BTreeSet::new());
        self.event(stop, true)
    }

    fn event(&mut self, stop: Stop, step: bool) -> Event {
        let pc = self.machine.hart.pc;
        self.syscall_at = None;
        match stop {
            Stop::Exited(status) => exited(status),
            Stop::Syscall(nr) => {
                self.syscall_at = Some(pc);
                Event::Syscall(nr)
            }
            Stop::Breakpoint => Event::Breakpoint(pc),
            _ if step && self.breakpoints.contains(&pc) => Event::Breakpoint(pc),
            // Faults end runs only with `stop_on_faults`, which embedders leave off.
            Stop::Budget | Stop::Fault(_) => Event::BudgetSpent,
        }
    }

    /// Answers the intercepted system call at the pc with `value` (in a0; a
    /// negative errno for failure) and moves past its `ecall`.
    pub fn answer_syscall(&mut self, value: i64) -> Result<(), Error> {
        self.take_syscall()?;
        let hart = &mut self.machine.hart;
        hart.set(10, value as u64);
        hart.pc = hart.pc.wrapping_add(4);
        Ok(())
    }

    /// Lets MVVM serve the intercepted system call at the pc as usual.
    pub fn pass_syscall(&mut self) -> Result<(), Error> {
        self.take_syscall()?;
        self.machine.serve_syscall();
        Ok(())
    }

    /// Replaces the intercepted system call numbers.
    pub fn set_intercept(&mut self, numbers: impl IntoIterator<Item = u64>) {
        self.machine.intercepted = numbers.into_iter().collect();
    }

    /// Clears the waiting system call; an error if there is none at the pc (never
    /// reported, answered already, or the pc moved since).
    fn take_syscall(&mut self) -> Result<(), Error> {
        match self.syscall_at.take() {
            Some(pc) if pc == self.machine.hart.pc => Ok(()),
            _ => Err(Error::NoSyscall),
        }
    }

    /// What the guest wrote to standard output since the last call (always empty
    /// unless the machine was created with `stdin`).
    pub fn take_stdout(&mut self) -> Vec<u8> {
        self.take(|s| &s.stdout)
    }

    /// The same for standard error.
    pub fn take_stderr(&mut self) -> Vec<u8> {
        self.take(|s| &s.stderr)
    }

    fn take(&mut self, sink: fn(&MemoryStdio) -> &Sink) -> Vec<u8> {
        let stdio = self.machine.os.stdio.as_ref();
        stdio.map_or_else(Vec::new, |s| std::mem::take(&mut *sink(s).borrow_mut()))
    }

    /// Instructions retired so far.
    pub fn instructions(&self) -> u64 {
        self.machine.hart.instret
    }

    /// The pc.
    pub fn pc(&self) -> u64 {
        self.machine.hart.pc
    }

    /// Moves the pc.
    pub fn set_pc(&mut self, pc: u64) {
        self.machine.hart.pc = pc;
    }

    /// Integer register `index`.
    pub fn x(&self, index: u32) -> Result<u64, Error> {
        Ok(self.machine.hart.get(reg(index)?))
    }

    /// Sets integer register `index` (x0 stays 0).
    pub fn set_x(&mut self, index: u32, value: u64) -> Result<(), Error> {
        self.machine.hart.set(reg(index)?, value);
        Ok(())
    }

    /// FP register `index` as raw bits.
    pub fn f(&self, index: u32) -> Result<u64, Error> {
        Ok(self.machine.hart.f[reg(index)? as usize])
    }

    /// Sets FP register `index`.
    pub fn set_f(&mut self, index: u32, value: u64) -> Result<(), Error> {
        self.machine.hart.f[reg(index)? as usize] = value;
        Ok(())
    }

    /// Reads guest memory the guest can read.
    pub fn read(&self, address: u64, len: u32) -> Result<Vec<u8>, Error> {
        self.machine
            .mem
            .slice(address, len as u64)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| Error::BadAddress(self.first_bad(address, len as u64, R)))
    }

    /// Writes mapped guest memory whatever its permissions (as a debugger does, so
    /// that breakpoints and patches can go into read-only code), dropping decoded
    /// code there.
    pub fn write(&mut self, address: u64, bytes: &[u8]) -> Result<(), Error> {
        let m = &mut self.machine;
        match m.mem.poke(address, bytes) {
            Some(true) => {
                let end = address + bytes.len() as u64;
                m.code.invalidate(&mut m.mem, address, end);
                Ok(())
            }
            Some(false) => Ok(()),
            None => Err(Error::BadAddress(self.first_bad(
                address,
                bytes.len() as u64,
                MAPPED,
            ))),
        }
    }

    /// Maps zeroed anonymous memory (`address` 0: anywhere); returns its address.
    pub fn map(
        &mut self,
        address: u64,
        len: u64,
        read: bool,
        write: bool,
        exec: bool,
    ) -> Result<u64, Error> {
        let prot = ((read as u8) * R) | ((write as u8) * W) | ((exec as u8) * X);
        linux::map_anonymous(&mut self.machine, address, len, prot)
            .ok_or(Error::BadAddress(address))
    }

    /// A symbol's loaded address.
    pub fn symbol(&self, name: &str) -> Option<u64> {
        self.symbols.iter().find(|s| s.0 == name).map(|s| s.1)
    }

    /// Stops `run` before `pc`.
    pub fn add_breakpoint(&mut self, pc: u64) {
        self.breakpoints.insert(pc);
    }

    /// Removes a breakpoint.
    pub fn remove_breakpoint(&mut self, pc: u64) {
        self.breakpoints.remove(&pc);
    }

    /// The first address of `[address, address + len)` without `need` (or `address`).
    fn first_bad(&self, address: u64, len: u64, need: u8) -> u64 {
        (0..len.min(1 << 32))
            .step_by(crate::mem::PAGE as usize)
            .map(|o| address.saturating_add(o))
            .chain([address.saturating_add(len.saturating_sub(1))])
            .find(|&a| !self.machine.mem.check(a, 1, need))
            .unwrap_or(address)
    }
}

fn reg(index: u32) -> Result<u8, Error> {
    if index < 32 {
        Ok(index as u8)
    } else {
        Err(Error::BadRegister(index))
    }
}

fn exited(status: ExitStatus) -> Event {
    match status {
        ExitStatus::Exited(code) => Event::Exited(code as u8),
        ExitStatus::Signaled(sig) => Event::Killed(sig),
    }
}

/// The named symbols of an ELF file, relocated by `bias`.
fn symbols(elf: &[u8], bias: u64) -> Vec<(String, u64)> {
    let Ok(elf) = goblin::elf::Elf::parse(elf) else {
        return Vec::new();
    };
    let tables = [(&elf.syms, &elf.strtab), (&elf.dynsyms, &elf.dynstrtab)];
    tables
        .into_iter()
        .flat_map(|(syms, names)| {
            syms.iter().filter_map(move |s| {
                let name = names.get_at(s.st_name)?;
                (s.st_value != 0 && !name.is_empty())
                    .then(|| (name.to_string(), s.st_value.wrapping_add(bias)))
            })
        })
        .collect()
}
