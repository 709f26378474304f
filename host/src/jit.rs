//! The host side of `mvvm:vm/jit` (`wit/jit.wit`): compiles the modules the component
//! generates and runs them on the component's own memory.
//!
//! - [`Creator`] is the engine's memory creator (`Config::with_host_memory`): it
//!   allocates every linear memory itself, so it knows where the component's memory
//!   is. Each memory is one [`Mapping`]: a reservation of `reserved + guard` bytes,
//!   inaccessible except for the first `size` bytes (what wasm may touch), grown in
//!   place by `mprotect`, never moved.
//! - `register-memory` finds the component's mapping by the cookie the component
//!   wrote into it.
//! - The JIT store ([`JitStore`]) is a separate, disposable store on the same engine.
//!   Its one memory is an alias of the component's mapping: the creator hands it out
//!   when the store instantiates [`ALIAS_MODULE`] (`Memory::new` would bypass the
//!   creator). Generated modules import that alias and a shared funcref table; their
//!   exports are installed in the table, and `enter` calls them by index.
//! - `flush` drops the JIT store with everything compiled in it; the next `compile`
//!   builds a new one.
//! - Compiled modules are cached on disk by content (`cache::module`), so a second
//!   run of a program does not compile its hot code again.
//! - `start-compile` hands a module to a compiler thread (Cranelift runs there, on
//!   the machine's other core, while the component goes on interpreting);
//!   `compiled` instantiates and installs it once it is ready. The JIT store itself
//!   is only touched on the component's thread.
//!
//! Wasmtime 48 needs `memory_init_cow(false)` with a custom creator (else
//! instantiating a component with data segments panics); [`configure`] sets both.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use wasmtime::{
    Config, Engine, Extern, Instance, LinearMemory, Memory, MemoryCreator, MemoryType, Module, Ref,
    RefType, Store, Table, TableType, TypedFunc,
};

/// `(module (memory (export "memory") 0))`: instantiated in a JIT store while the
/// creator is primed, its memory becomes the alias of the component's memory.
const ALIAS_MODULE: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x05, 0x03, 0x01, 0x00, 0x00, // memory section: one memory, min 0, no max
    0x07, 0x0a, 0x01, 0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // export "memory"
];

/// The instance limit of a store is 10,000; the component flushes well before.
const MAX_INSTANCES: usize = 9_000;

/// Sets up `config` for the JIT: every memory comes from `creator`; generated code
/// may use the wide-arithmetic proposal (`i64.mul_wide_*` for `mulh*`), tail calls
/// (`return_call_indirect`, how regions chain to each other) and relaxed SIMD in
/// its deterministic mode, where `f64x2.relaxed_madd` is a fused multiply-add on
/// every host (an instruction where the CPU has one, a libcall elsewhere): the FP
/// lowerings need a single rounding to be bit-exact.
pub fn configure(config: &mut Config, creator: Arc<Creator>) {
    config
        .with_host_memory(creator)
        .memory_init_cow(false)
        .wasm_wide_arithmetic(true)
        .wasm_tail_call(true)
        .wasm_relaxed_simd(true)
        .relaxed_simd_deterministic(true);
}

/// One linear memory's address space: `[base, base + reserved + guard)` is mapped,
/// `[base, base + size)` readable and writable, the rest inaccessible.
pub struct Mapping {
    base: *mut u8,
    /// Bytes the memory may grow to without moving.
    reserved: usize,
    /// Bytes mapped in all (reservation plus guard).
    mapped: usize,
    /// Bytes currently accessible.
    size: AtomicUsize,
}

// SAFETY: a `Mapping` is an address range owned by this process; the raw pointer is
// only an address. Wasmtime accesses the memory from the thread running its store,
// and the host reads it (`register_memory`) only from a host call of that store.
unsafe impl Send for Mapping {}
// SAFETY: as above; `size` is atomic and the other fields never change.
unsafe impl Sync for Mapping {}

impl Mapping {
    fn new(minimum: usize, reserved: usize, guard: usize) -> Result<Arc<Mapping>, String> {
        let mapped = reserved
            .checked_add(guard)
            .ok_or("memory reservation overflows")?;
        // SAFETY: an anonymous private mapping at an address of the kernel's choosing
        // aliases nothing; it stays mapped until `Drop` unmaps it.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                mapped,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(format!(
                "cannot reserve {mapped} bytes: {}",
                std::io::Error::last_os_error()
            ));
        }
        let map = Arc::new(Mapping {
            base: base.cast(),
            reserved,
            mapped,
            size: AtomicUsize::new(0),
        });
        map.grow_to(minimum)?;
        Ok(map)
    }

    fn size(&self) -> usize {
        self.size.load(Ordering::Acquire)
    }

    /// Makes the first `new_size` bytes accessible (fresh pages read as zero).
    fn grow_to(&self, new_size: usize) -> Result<(), String> {
        let old = self.size();
        if new_size > self.reserved {
            return Err(format!(
                "memory cannot grow to {new_size} bytes (reserved {})",
                self.reserved
            ));
        }
        if new_size > old {
            // SAFETY: `[old, new_size)` lies inside the mapping (`new_size <= reserved`)
            // and holds no Rust objects; wasm sizes are multiples of 64 KiB, so the
            // range is page aligned.
            let r = unsafe {
                libc::mprotect(
                    self.base.add(old).cast(),
                    new_size - old,
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if r != 0 {
                return Err(format!("mprotect: {}", std::io::Error::last_os_error()));
            }
            self.size.store(new_size, Ordering::Release);
        }
        Ok(())
    }

    /// The 8 bytes at `addr`, if they are accessible.
    fn read_u64(&self, addr: u32) -> Option<u64> {
        let end = (addr as usize).checked_add(8)?;
        if end > self.size() {
            return None;
        }
        // SAFETY: `[addr, addr + 8)` is inside the accessible part of the mapping,
        // which stays mapped while `self` lives. The component that owns the memory is
        // blocked in the host call that runs this, so nothing writes it meanwhile.
        Some(unsafe { std::ptr::read_unaligned(self.base.add(addr as usize).cast::<u64>()) })
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: the range was mapped by `Mapping::new`; the last owner (a memory or
        // an alias of it) is gone, so no wasm code can reach it any more.
        unsafe { libc::munmap(self.base.cast(), self.mapped) };
    }
}

/// A memory made by the creator: owns its mapping.
struct OwnedMemory(Arc<Mapping>);

// SAFETY: the memory is page aligned, zero filled when it grows, followed by the
// guard region Wasmtime asked for, and never moves (growth happens in place).
unsafe impl LinearMemory for OwnedMemory {
    fn byte_size(&self) -> usize {
        self.0.size()
    }
    fn byte_capacity(&self) -> usize {
        self.0.reserved
    }
    fn grow_to(&mut self, new_size: usize) -> wasmtime::Result<()> {
        self.0
            .grow_to(new_size)
            .map_err(|e| wasmtime::format_err!("{e}"))
    }
    fn as_ptr(&self) -> *mut u8 {
        self.0.base
    }
}

/// The JIT store's view of the component's memory: same bytes, fixed size, no growth.
struct AliasMemory {
    map: Arc<Mapping>,
    size: usize,
}

// SAFETY: the alias shares the component memory's mapping (page aligned, guarded
// like it, kept alive by the `Arc`); its size is a snapshot that never exceeds the
// component memory's accessible size, which only grows.
unsafe impl LinearMemory for AliasMemory {
    fn byte_size(&self) -> usize {
        self.size
    }
    fn byte_capacity(&self) -> usize {
        self.size
    }
    fn grow_to(&mut self, _: usize) -> wasmtime::Result<()> {
        wasmtime::bail!("the alias of the component's memory cannot grow")
    }
    fn as_ptr(&self) -> *mut u8 {
        self.map.base
    }
}

/// The engine's memory creator; see the module docs.
#[derive(Default)]
pub struct Creator {
    state: Mutex<CreatorState>,
}

#[derive(Default)]
struct CreatorState {
    /// Every memory made so far that still exists.
    memories: Vec<Weak<Mapping>>,
    /// When set, the next memory made is an alias of this mapping.
    alias: Option<Arc<Mapping>>,
}

impl Creator {
    fn state(&self) -> std::sync::MutexGuard<'_, CreatorState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

// SAFETY: every memory handed out is a `Mapping` set up as Wasmtime asks (reserved
// and guard sizes honoured, zero filled, page aligned), or an alias of one.
unsafe impl MemoryCreator for Creator {
    fn new_memory(
        &self,
        ty: MemoryType,
        minimum: usize,
        _maximum: Option<usize>,
        reserved_size_in_bytes: Option<usize>,
        guard_size_in_bytes: usize,
    ) -> Result<Box<dyn LinearMemory>, String> {
        if ty.is_64() || ty.is_shared() {
            return Err("only 32-bit unshared memories are supported".into());
        }
        let mut state = self.state();
        if let Some(map) = state.alias.take() {
            let size = map.size();
            return Ok(Box::new(AliasMemory { map, size }));
        }
        let reserved = reserved_size_in_bytes.unwrap_or(1 << 32).max(minimum);
        let map = Mapping::new(minimum, reserved, guard_size_in_bytes)?;
        state.memories.retain(|m| m.strong_count() > 0);
        state.memories.push(Arc::downgrade(&map));
        Ok(Box::new(OwnedMemory(map)))
    }
}

/// The JIT store and what lives in it.
struct JitStore {
    store: Store<()>,
    memory: Memory,
    table: Table,
    /// The table's functions, by table index.
    funcs: Vec<TypedFunc<(i32, i32), i32>>,
    instances: usize,
}

/// The host's JIT for one component instance.
pub struct JitHost {
    engine: Engine,
    /// `None` when the JIT is off: `register-memory` then fails.
    creator: Option<Arc<Creator>>,
    alias_module: Option<Module>,
    /// The component's memory, once registered.
    target: Option<Arc<Mapping>>,
    store: Option<JitStore>,
    /// The compiler thread, once `start-compile` was called.
    worker: Option<Worker>,
    /// The next ticket `start-compile` hands out.
    next_ticket: u32,
    /// Tickets below this were started before the last flush.
    flushed_below: u32,
    /// Compilations finished but not yet asked for, by ticket.
    finished: HashMap<u32, Finished>,
}

/// What the compiler thread made of one module, and how long it took.
type Finished = (Result<Module, String>, Duration);

/// The compiler thread: modules in, compiled modules out, in order.
struct Worker {
    jobs: Sender<(u32, Vec<u8>)>,
    done: Receiver<(u32, Finished)>,
}

impl Worker {
    /// Starts the thread; it ends when the sender is dropped.
    fn spawn(engine: Engine) -> Worker {
        let (jobs, queue) = channel::<(u32, Vec<u8>)>();
        let (results, done) = channel();
        std::thread::spawn(move || {
            for (ticket, bytes) in queue {
                let started = Instant::now();
                let module = crate::cache::module(&engine, &bytes).map_err(|e| format!("{e:#}"));
                if results.send((ticket, (module, started.elapsed()))).is_err() {
                    break;
                }
            }
        });
        Worker { jobs, done }
    }
}

impl JitHost {
    /// A JIT host on `engine`, whose memories come from `creator` (`None`: JIT off).
    pub fn new(engine: &Engine, creator: Option<Arc<Creator>>) -> JitHost {
        JitHost {
            engine: engine.clone(),
            creator,
            alias_module: None,
            target: None,
            store: None,
            worker: None,
            next_ticket: 0,
            flushed_below: 0,
            finished: HashMap::new(),
        }
    }

    /// `register-memory`: finds the memory holding `cookie` at `addr`.
    pub fn register_memory(&mut self, addr: u32, cookie: u64) -> Result<(), String> {
        let creator = self.creator.as_ref().ok_or("the JIT is off (--jit=off)")?;
        let found: Vec<Arc<Mapping>> = creator
            .state()
            .memories
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|m| m.read_u64(addr) == Some(cookie))
            .collect();
        match <[_; 1]>::try_from(found) {
            Ok([map]) => {
                self.target = Some(map);
                self.store = None;
                Ok(())
            }
            Err(found) => Err(format!(
                "the cookie was found in {} memories, not exactly one",
                found.len()
            )),
        }
    }

    /// Builds the JIT store: the alias of the component's memory and an empty table.
    fn new_store(&mut self) -> Result<JitStore, String> {
        let (Some(creator), Some(target)) = (&self.creator, &self.target) else {
            return Err("register-memory has not succeeded".into());
        };
        let module = match &self.alias_module {
            Some(m) => m.clone(),
            None => {
                let m = Module::new(&self.engine, ALIAS_MODULE).map_err(|e| format!("{e:#}"))?;
                self.alias_module = Some(m.clone());
                m
            }
        };
        let mut store = Store::new(&self.engine, ());
        creator.state().alias = Some(target.clone());
        let instance = Instance::new(&mut store, &module, &[]);
        creator.state().alias = None;
        let memory = instance
            .map_err(|e| format!("{e:#}"))?
            .get_memory(&mut store, "memory")
            .ok_or("the alias module has no memory")?;
        let table = Table::new(
            &mut store,
            TableType::new(RefType::FUNCREF, 0, None),
            Ref::Func(None),
        )
        .map_err(|e| format!("{e:#}"))?;
        Ok(JitStore {
            store,
            memory,
            table,
            funcs: Vec::new(),
            instances: 0,
        })
    }

    /// `compile`: compiles `bytes`, instantiates it and installs `f0`, `f1`, ...
    pub fn compile(&mut self, bytes: &[u8]) -> Result<u32, String> {
        dump(bytes);
        let module = crate::cache::module(&self.engine, bytes).map_err(|e| format!("{e:#}"))?;
        self.install(&module)
    }

    /// `start-compile`: hands `bytes` to the compiler thread.
    pub fn start_compile(&mut self, bytes: Vec<u8>) -> u32 {
        dump(&bytes);
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        let engine = &self.engine;
        let worker = self
            .worker
            .get_or_insert_with(|| Worker::spawn(engine.clone()));
        // A send fails only if the thread died; `compiled` then reports an error.
        let _ = worker.jobs.send((ticket, bytes));
        ticket
    }

    /// `compiled`: the outcome of `ticket`, installed, once it is known.
    pub fn compiled(&mut self, ticket: u32) -> Option<Result<(u32, Duration), String>> {
        if ticket < self.flushed_below || ticket >= self.next_ticket {
            return Some(Err(format!("no compilation {ticket} (flushed or unknown)")));
        }
        let mut gone = self.worker.is_none();
        if let Some(worker) = &self.worker {
            loop {
                match worker.done.try_recv() {
                    Ok((t, finished)) if t >= self.flushed_below => {
                        self.finished.insert(t, finished);
                    }
                    Ok(_) => {}
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        gone = true;
                        break;
                    }
                }
            }
        }
        let Some((module, took)) = self.finished.remove(&ticket) else {
            // Still compiling, unless the thread died (a compiler panic).
            return gone.then(|| Err("the compiler thread is gone".into()));
        };
        Some(
            module
                .and_then(|m| self.install(&m))
                .map(|index| (index, took)),
        )
    }

    /// Instantiates `module` in the JIT store and installs `f0`, `f1`, ...
    fn install(&mut self, module: &Module) -> Result<u32, String> {
        if self.store.is_none() {
            self.store = Some(self.new_store()?);
        }
        let Some(js) = self.store.as_mut() else {
            return Err("no JIT store".into());
        };
        if js.instances >= MAX_INSTANCES {
            return Err("the JIT store is full (flush first)".into());
        }
        let imports = [Extern::Memory(js.memory), Extern::Table(js.table)];
        let instance =
            Instance::new(&mut js.store, module, &imports).map_err(|e| format!("{e:#}"))?;
        js.instances += 1;
        let first = js.funcs.len() as u32;
        for i in 0.. {
            let Some(func) = instance.get_func(&mut js.store, &format!("f{i}")) else {
                break;
            };
            let typed = func
                .typed::<(i32, i32), i32>(&js.store)
                .map_err(|e| format!("f{i}: {e:#}"))?;
            js.table
                .grow(&mut js.store, 1, Ref::Func(Some(func)))
                .map_err(|e| format!("{e:#}"))?;
            js.funcs.push(typed);
        }
        if js.funcs.len() as u32 == first {
            return Err("the module exports no f0".into());
        }
        Ok(first)
    }

    /// `enter`: runs the function at `func` of the table with `(state, entry)`.
    pub fn enter(&mut self, func: u32, entry: u32, state: u32) -> wasmtime::Result<u32> {
        let Some(js) = self.store.as_mut() else {
            wasmtime::bail!("jit: enter without a JIT store");
        };
        let Some(f) = js.funcs.get(func as usize) else {
            wasmtime::bail!("jit: no function {func} in the table");
        };
        let word = f.call(&mut js.store, (state as i32, entry as i32))?;
        Ok(word as u32)
    }

    /// `flush`: drops the JIT store (and forgets compilations under way).
    pub fn flush(&mut self) {
        self.store = None;
        self.flushed_below = self.next_ticket;
        self.finished.clear();
    }
}

/// Debugging aid: with `MVVM_JIT_DUMP=dir`, every generated module is kept there.
fn dump(bytes: &[u8]) {
    static N: AtomicUsize = AtomicUsize::new(0);
    if let Some(dir) = std::env::var_os("MVVM_JIT_DUMP") {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{n}.wasm")), bytes);
    }
}

impl crate::mvvm::vm::jit::Host for crate::state::State {
    fn register_memory(
        &mut self,
        cookie_addr: u32,
        cookie: u64,
    ) -> wasmtime::Result<Result<(), String>> {
        Ok(self.jit.register_memory(cookie_addr, cookie))
    }

    fn compile(&mut self, module: Vec<u8>) -> wasmtime::Result<Result<u32, String>> {
        Ok(self.jit.compile(&module))
    }

    fn enter(&mut self, func_index: u32, entry: u32, state: u32) -> wasmtime::Result<u32> {
        self.jit.enter(func_index, entry, state)
    }

    fn flush(&mut self) -> wasmtime::Result<()> {
        self.jit.flush();
        Ok(())
    }

    fn start_compile(&mut self, module: Vec<u8>) -> wasmtime::Result<u32> {
        Ok(self.jit.start_compile(module))
    }

    fn compiled(
        &mut self,
        ticket: u32,
    ) -> wasmtime::Result<Option<Result<crate::mvvm::vm::jit::Compilation, String>>> {
        Ok(self.jit.compiled(ticket).map(|r| {
            r.map(|(index, took)| crate::mvvm::vm::jit::Compilation {
                index,
                nanos: took.as_nanos() as u64,
            })
        }))
    }
}
