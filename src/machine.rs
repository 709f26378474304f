//! A guest machine: the running process's hart, address space, decoded-code cache
//! and Linux state, the other processes (`linux::procs`), plus the loop that runs
//! code and services what it traps on.

use crate::hart::{Hart, Trap};
use crate::interp::{self, CodeCache};
use crate::isa::ExtSet;
use crate::jit::Jit;
use crate::linux::{self, signal, thread, ExitStatus, Os};
use crate::loader::{self, LoadError, StackInfo};
use crate::mem::Mem;
use std::collections::BTreeSet;
use std::fmt;
use std::io::Write;

/// Settings of a machine (from the command line).
#[derive(Debug, Clone)]
pub struct Options {
    /// Sysroot for the dynamic linker and absolute paths (`-L`).
    pub sysroot: Option<String>,
    /// Guest address-space size in bytes (the guest memory limit).
    pub mem_size: u64,
    /// Main thread stack size.
    pub stack_size: u64,
    /// Log every system call (`-strace`).
    pub strace: bool,
    /// `-d` items.
    pub log: LogItems,
    /// `-D`: where `-d` output goes (stderr if `None`).
    pub log_file: Option<String>,
    /// Executions of a block before the JIT compiles its region (`-jit-threshold`);
    /// 0 turns the JIT off. Without a host JIT (natively, or in the portable
    /// component) this is ignored.
    pub jit_threshold: u32,
    /// Check every call into generated code against the interpreter and stop at
    /// the first divergence (`-jit-lockstep`; see `jit::lockstep`). Needs the JIT.
    pub jit_lockstep: bool,
    /// The emulated CPU's extensions (`-cpu`).
    pub cpu: ExtSet,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sysroot: None,
            mem_size: 1 << 30,
            stack_size: 8 << 20,
            strace: false,
            log: LogItems::default(),
            log_file: None,
            jit_threshold: crate::jit::DEFAULT_THRESHOLD,
            jit_lockstep: false,
            cpu: ExtSet::default(),
        }
    }
}

/// What `-d` asks to log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogItems {
    /// Disassembly of each block when it is first translated.
    pub in_asm: bool,
    /// Each block as it is executed.
    pub exec: bool,
    /// Registers before each block.
    pub cpu: bool,
    /// Instructions retired and run time, at exit (an MVVM extension).
    pub stats: bool,
    /// What the JIT compiled and how generated code exited, at exit (MVVM).
    pub jit: bool,
}

impl LogItems {
    fn per_block(self) -> bool {
        self.in_asm || self.exec || self.cpu
    }
}

/// Why a program could not be started. The `Display` text is the one-line message.
#[derive(Debug)]
pub enum StartError {
    /// The program file does not exist.
    NotFound(String),
    /// The program file could not be read.
    Io(String, String),
    /// The program (or its dynamic linker) is not a loadable riscv64 executable.
    Load(String, LoadError),
    /// The dynamic linker named in PT_INTERP was not found.
    NoInterpreter(String),
    /// Arguments and environment do not fit on the stack.
    StackTooSmall,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NotFound(p) => write!(f, "{p}: No such file or directory"),
            StartError::Io(p, e) => write!(f, "{p}: {e}"),
            StartError::Load(p, e) => write!(f, "{p}: {e}"),
            StartError::NoInterpreter(p) => {
                write!(f, "could not open the dynamic linker {p} (give the sysroot with -L or QEMU_LD_PREFIX)")
            }
            StartError::StackTooSmall => {
                write!(f, "arguments and environment do not fit on the stack")
            }
        }
    }
}

impl StartError {
    /// Exit status, as a shell reports failures to start a program.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartError::NotFound(_) => 127,
            _ => 126,
        }
    }
}

/// One emulated process.
pub struct Machine {
    /// CPU state.
    pub hart: Hart,
    /// Address space.
    pub mem: Mem,
    /// Decoded code.
    pub code: CodeCache,
    /// Linux state.
    pub os: Os,
    /// The other emulated processes (forked children, their children...).
    pub procs: linux::procs::Procs,
    /// Main stack size (RLIMIT_STACK).
    pub stack_size: u64,
    /// A snapshot [`Machine::run`] is to take (`-snapshot-at`, `-pause-at`).
    pub snapshot_plan: Option<crate::snapshot::Plan>,
    /// [`Machine::run_for`] returns [`Stop::Fault`] instead of raising the signal
    /// of a faulting instruction, so that a debugger sees the fault first.
    pub stop_on_faults: bool,
    /// System call numbers that [`Machine::run_for`] returns as [`Stop::Syscall`]
    /// instead of serving, for an embedder to answer.
    pub intercepted: BTreeSet<u64>,
    log: LogItems,
    log_out: Box<dyn Write>,
    started: std::time::Instant,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("pc", &self.hart.pc)
            .field("mem", &self.mem)
            .finish()
    }
}

/// Why [`Machine::run_for`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The process ended.
    Exited(ExitStatus),
    /// The next instruction is at a breakpoint.
    Breakpoint,
    /// The instruction budget is spent.
    Budget,
    /// The instruction at the pc trapped and its signal is not raised yet (only
    /// with [`Machine::stop_on_faults`]; `signal::synchronous` raises it).
    Fault(Trap),
    /// The pc is at an `ecall` for this system call number, which is in
    /// [`Machine::intercepted`]; [`Machine::serve_syscall`] or the embedder answers it.
    Syscall(u64),
}

/// Gives `code` the JIT `opts` ask for, if this build and host have one. Only
/// `-jit-lockstep` makes its absence an error: a check that cannot run must not
/// pass silently.
pub(crate) fn attach_jit(
    code: &mut CodeCache,
    mem: &mut Mem,
    opts: &Options,
) -> Result<(), String> {
    // Per-block logging needs every block interpreted.
    if opts.jit_threshold == 0 || opts.log.per_block() {
        if opts.jit_lockstep {
            return Err(
                "-jit-lockstep needs the JIT, which -jit-threshold 0, -g and -d in_asm/exec/cpu turn off"
                    .into(),
            );
        }
        return Ok(());
    }
    match Jit::new(mem, opts.jit_threshold) {
        Ok(mut jit) => {
            if opts.jit_lockstep {
                jit.lockstep = Some(Default::default());
            }
            code.jit = Some(jit);
        }
        Err(e) if opts.jit_lockstep => return Err(format!("-jit-lockstep: {e}")),
        Err(_) => {}
    }
    Ok(())
}

impl Machine {
    /// A machine with an empty address space; `cwd` is the guest's working directory.
    pub fn new(opts: &Options, cwd: String) -> Result<Machine, String> {
        let log_out: Box<dyn Write> = match &opts.log_file {
            Some(p) => Box::new(std::fs::File::create(p).map_err(|e| format!("{p}: {e}"))?),
            None => Box::new(std::io::stderr()),
        };
        let mut os = Os::new(cwd, String::new(), opts.sysroot.clone());
        os.strace = opts.strace;
        let mut mem = Mem::new(opts.mem_size);
        let mut code = CodeCache::default();
        code.exts = opts.cpu;
        attach_jit(&mut code, &mut mem, opts)?;
        Ok(Machine {
            hart: Hart::default(),
            mem,
            code,
            os,
            procs: Default::default(),
            stack_size: opts.stack_size,
            snapshot_plan: None,
            stop_on_faults: false,
            intercepted: BTreeSet::new(),
            log: opts.log,
            log_out,
            started: std::time::Instant::now(),
        })
    }

    fn read_program(&self, guest: &str, host: &str) -> Result<Vec<u8>, StartError> {
        std::fs::read(host).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StartError::NotFound(guest.to_string()),
            _ => StartError::Io(
                guest.to_string(),
                linux::Errno::from(e).message().to_string(),
            ),
        })
    }

    /// Loads `program` (a guest path) with its dynamic linker and builds the stack.
    pub fn load(
        &mut self,
        program: &str,
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
    ) -> Result<(), StartError> {
        let guest = self
            .resolve(-100, program)
            .map_err(|_| StartError::NotFound(program.to_string()))?;
        let bytes = self.read_program(program, &guest)?;
        self.load_image(program, &guest, &bytes, argv, envp)
            .map(drop)
    }

    /// Loads the executable `bytes`, known to the guest as `guest` (`program` is the
    /// name it was asked for), with its dynamic linker, and builds the stack. Returns
    /// the executable's load bias.
    pub fn load_image(
        &mut self,
        program: &str,
        guest: &str,
        bytes: &[u8],
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
    ) -> Result<u64, StartError> {
        let guest = guest.to_string();
        const EXEC_BASE: u64 = 0x40_0000;
        let main = loader::load_elf(&mut self.mem, bytes, &guest, Some(EXEC_BASE))
            .map_err(|e| StartError::Load(program.to_string(), e))?;
        self.mem.brk_start = crate::mem::page_up(main.end);
        self.mem.brk = self.mem.brk_start;
        let mut random = [0u8; 16];
        linux::system::random_fill(&mut random);
        let info = StackInfo {
            argv: &argv,
            envp: &envp,
            execfn: program.as_bytes(),
            random,
            hwcap: self.code.exts.hwcap(),
            size: self.stack_size,
            uid: linux::UID,
        };
        // mmap placement (the dynamic linker first) starts below the stack.
        self.mem.mmap_top = self
            .mem
            .size()
            .saturating_sub(self.stack_size + 16 * crate::mem::PAGE);
        let interp = match &main.interp {
            Some(path) => {
                let host = self.host_path(path);
                let bytes =
                    std::fs::read(&host).map_err(|_| StartError::NoInterpreter(path.clone()))?;
                Some(
                    loader::load_elf(&mut self.mem, &bytes, path, None)
                        .map_err(|e| StartError::Load(path.clone(), e))?,
                )
            }
            None => None,
        };
        let (sp, auxv) = loader::build_stack(&mut self.mem, &main, interp.as_ref(), &info)
            .ok_or(StartError::StackTooSmall)?;
        self.hart.pc = interp.as_ref().map_or(main.entry, |i| i.entry);
        self.hart.x[2] = sp;
        self.os.set_exe(guest);
        self.os.argv = argv;
        self.os.envp = envp;
        self.os.auxv = auxv;
        linux::signal::map_trampoline(self);
        Ok(main.bias)
    }

    /// Runs the program to its end.
    pub fn run(&mut self) -> ExitStatus {
        let quantum = if self.log.per_block() {
            1
        } else {
            thread::QUANTUM
        };
        loop {
            if self.log.per_block() {
                self.log_block();
            }
            let slice = self.os.threads.slice.clamp(1, quantum);
            let blocks = crate::snapshot::budget(self, slice);
            let trap = interp::run(&mut self.hart, &mut self.mem, &mut self.code, blocks);
            if crate::jit::lockstep::diverged(self.code.jit.as_ref()) {
                // The report is out; the guest's state is not to be trusted.
                return self.finish(ExitStatus::Exited(crate::jit::lockstep::STATUS.into()));
            }
            self.after_blocks(trap, blocks, slice);
            if let Some(status) = self.os.exit {
                crate::snapshot::report_missed(self);
                return self.finish(status);
            }
            if crate::snapshot::take_planned(self) {
                return self.finish(ExitStatus::Exited(0));
            }
        }
    }

    /// Accounts for `blocks` run out of the running thread's `slice` and handles
    /// `trap`. A round that stopped short of the slice without a trap (cut for a
    /// snapshot or by an embedder's budget) is no scheduling point: the rest of
    /// the slice follows, so the run goes on exactly as an uncut one.
    fn after_blocks(&mut self, trap: Option<Trap>, blocks: u64, slice: u64) {
        if trap.is_some() || blocks >= slice {
            self.os.threads.slice = thread::QUANTUM;
            self.handle(trap);
        } else {
            self.os.threads.slice = slice - blocks;
        }
    }

    /// What follows a return from the interpreter.
    fn handle(&mut self, trap: Option<Trap>) {
        match trap {
            // Budget spent: a block boundary where timers may have fired, and where
            // another guest thread gets its turn.
            None => {
                thread::reschedule(self, true);
                signal::deliver_pending(self);
            }
            Some(Trap::Ecall) => {
                linux::syscall(self);
                thread::reschedule(self, false);
                signal::deliver_pending(self);
            }
            Some(trap) => signal::synchronous(self, trap),
        }
        // A process other than the first ends alone; another one runs on.
        while self.os.exit.is_some() && !linux::procs::is_init(self) && !self.procs.halted {
            linux::procs::end(self);
        }
    }

    /// Runs at most about `budget` instructions (whole blocks while more than a
    /// block's worth is left and no breakpoint is inside them, else single
    /// instructions), stopping before any instruction whose pc is in `breakpoints` —
    /// except the first one, so that a run can resume from a breakpoint. For embedders (`mvvm:vm/machine`); the guest's exit is reported,
    /// not printed.
    pub fn run_for(&mut self, budget: u64, breakpoints: &BTreeSet<u64>) -> Stop {
        let end = self.hart.instret.saturating_add(budget);
        let mut first = true;
        loop {
            if let Some(status) = self.os.exit {
                return Stop::Exited(status);
            }
            if !std::mem::take(&mut first) && breakpoints.contains(&self.hart.pc) {
                return Stop::Breakpoint;
            }
            let left = end.saturating_sub(self.hart.instret);
            if left == 0 {
                return Stop::Budget;
            }
            let slice = self.os.threads.slice.clamp(1, thread::QUANTUM);
            let mut blocks = (left / interp::MAX_BLOCK as u64).min(slice);
            if !breakpoints.is_empty() && blocks > 0 {
                // One block when no breakpoint is inside it (its first instruction
                // was checked above; generated code would skip them all), else
                // one instruction.
                let pc = self.hart.pc;
                let clear = self.code.jit.is_none()
                    && self.code.block_end(&mut self.mem, pc).is_some_and(|end| {
                        let inside = pc.saturating_add(1)..end.max(pc.saturating_add(1));
                        breakpoints.range(inside).next().is_none()
                    });
                blocks = clear as u64;
            }
            let trap = if blocks > 0 {
                interp::run(&mut self.hart, &mut self.mem, &mut self.code, blocks)
            } else {
                interp::step(&mut self.hart, &mut self.mem, &mut self.code)
            };
            match trap {
                Some(
                    t @ (Trap::Fault { .. }
                    | Trap::Misaligned { .. }
                    | Trap::Illegal
                    | Trap::Ebreak),
                ) if self.stop_on_faults => return Stop::Fault(t),
                Some(Trap::Ecall) if self.intercepted.contains(&self.hart.x[17]) => {
                    return Stop::Syscall(self.hart.x[17]);
                }
                // A single instruction counts as a block of the slice.
                trap => self.after_blocks(trap, blocks.max(1), slice),
            }
        }
    }

    /// Serves the system call at the pc (an `ecall` that [`Stop::Syscall`] reported)
    /// as if it had not been intercepted.
    pub fn serve_syscall(&mut self) {
        self.handle(Some(Trap::Ecall));
    }

    /// The end of a run: `-d stats`/`jit` reports and the core-dump message.
    pub(crate) fn finish(&mut self, status: ExitStatus) -> ExitStatus {
        if self.log.stats {
            let secs = self.started.elapsed().as_secs_f64();
            let n = self.hart.instret;
            let _ = writeln!(
                self.log_out,
                "stats: {n} instructions in {secs:.3} s ({:.1} MIPS)",
                n as f64 / secs / 1e6
            );
        }
        if self.log.jit {
            let report = match &self.code.jit {
                Some(jit) => jit.report(),
                None => "jit: off".to_string(),
            };
            let _ = writeln!(self.log_out, "{report}");
        }
        let _ = self.log_out.flush();
        if let ExitStatus::Signaled(sig) = status {
            if signal::dumps_core(sig) {
                eprintln!(
                    "mvvm: uncaught target signal {sig} ({}) - core dumped",
                    signal::describe(sig)
                );
            }
        }
        status
    }

    /// `-d` logging before the block at the current pc runs.
    fn log_block(&mut self) {
        let pc = self.hart.pc;
        let mut out = String::new();
        if self.log.in_asm && !self.code.contains(pc) {
            out.push_str("----------------\nIN:\n");
            let mut at = pc;
            for _ in 0..interp::MAX_BLOCK {
                let Some((insn, word)) = interp::peek(&self.mem, at) else {
                    break;
                };
                out.push_str(&format!("0x{at:016x}:  {}\n", crate::isa::disasm(word, at)));
                at += insn.len as u64;
                if insn.op.ends_block() || at.is_multiple_of(crate::mem::PAGE) {
                    break;
                }
            }
            out.push('\n');
        }
        if self.log.exec {
            out.push_str(&format!("Trace 0: [{pc:016x}]\n"));
        }
        if self.log.cpu {
            out.push_str(&format!(" pc       {pc:016x}\n"));
            for (i, v) in self.hart.x.iter().enumerate() {
                let name = crate::isa::XNAMES[i];
                out.push_str(&format!(
                    " x{i:<2}/{name:<4} {v:016x}{}",
                    if i % 4 == 3 { "\n" } else { " " }
                ));
            }
        }
        let _ = self.log_out.write_all(out.as_bytes());
    }
}
