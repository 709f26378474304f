//! Example embedder: a WASI command component that imports `mvvm:vm/machine` and
//! calls functions of a RISC-V plugin (`plugin.c`) with instruction budgets, reading
//! results from registers and guest memory. `make compose` plugs MVVM into it with
//! `wac plug`; then `wasmtime run --dir . dist/plugin-host.composed.wasm plugin.elf`.

wit_bindgen::generate!({
    path: "../../wit",
    world: "mvvm:vm/plugin-host",
    generate_all,
});

use mvvm::vm::machine::{Event, Machine, Options, Prot};

/// Where called functions return to: unmapped, and a breakpoint stops the run there.
const RETURN: u64 = 0x4;
/// Plenty for every call here.
const BUDGET: u64 = 10_000_000;
/// The plugin's call into the host (`host_setting` in plugin.c): a system call
/// number Linux leaves free.
const HOST_SETTING: u32 = 1000;

struct Host;

impl exports::wasi::cli::run::Guest for Host {
    fn run() -> Result<(), ()> {
        let Some(path) = std::env::args().nth(1) else {
            eprintln!("usage: plugin-host PLUGIN.elf");
            return Err(());
        };
        let elf = std::fs::read(&path).map_err(|e| eprintln!("{path}: {e}"))?;
        demo(&elf).map_err(|e| eprintln!("plugin-host: {e}"))
    }
}

fn options() -> Options {
    Options {
        args: vec!["plugin".into()],
        env: Vec::new(),
        sysroot: None,
        cpu: Some("rva22u64".into()),
        memory: Some(64 << 20),
        stdin: None,
        intercept: vec![HOST_SETTING],
    }
}

/// Calls `name(args...)` on `m` and returns `a0`.
fn call(m: &Machine, name: &str, args: &[u64]) -> Result<u64, String> {
    let entry = m.symbol(name).ok_or(format!("no symbol {name}"))?;
    for (i, &a) in args.iter().enumerate() {
        m.set_x(10 + i as u32, a).map_err(|e| format!("{e:?}"))?;
    }
    m.set_x(1, RETURN).map_err(|e| format!("{e:?}"))?;
    m.set_pc(entry);
    m.add_breakpoint(RETURN);
    loop {
        match m.run(BUDGET) {
            Event::Breakpoint(RETURN) => return m.x(10).map_err(|e| format!("{e:?}")),
            // The plugin asks the host: setting k is k * 10.
            Event::Syscall(HOST_SETTING) => {
                let key = m.x(10).map_err(|e| format!("{e:?}"))?;
                m.answer_syscall(key as i64 * 10)
                    .map_err(|e| format!("{e:?}"))?;
            }
            other => return Err(format!("{name} did not return: {other:?}")),
        }
    }
}

fn demo(elf: &[u8]) -> Result<(), String> {
    let m = Machine::create(elf, &options()).map_err(|e| format!("{e:?}"))?;
    println!("fib(30) = {}", call(&m, "fib", &[30])?);

    // A buffer the host maps in the guest, filled by the plugin, read back.
    let buf = m
        .map_memory(0, 4096, Prot::READ | Prot::WRITE)
        .map_err(|e| format!("{e:?}"))?;
    let len = call(&m, "greet", &[buf, 64, 42])?;
    let text = m.read(buf, len as u32).map_err(|e| format!("{e:?}"))?;
    println!("greet: {}", String::from_utf8_lossy(&text));

    // A function that calls back into the host (intercepted system calls).
    println!("sum_settings(4) = {}", call(&m, "sum_settings", &[4])?);

    // A function that never returns, stopped by its budget.
    m.set_pc(m.symbol("spin").ok_or("no spin")?);
    let before = m.instructions();
    let event = m.run(1000);
    println!(
        "spin: {event:?} after {} instructions",
        m.instructions() - before
    );

    // Bad arguments are errors, not traps.
    println!("x(40): {:?}", m.x(40));
    println!("read(0, 8): {:?}", m.read(0, 8));

    // The plugin as a whole program, single-stepped for its first instructions.
    let program = Machine::create(elf, &options()).map_err(|e| format!("{e:?}"))?;
    for _ in 0..3 {
        program.step();
    }
    println!("program: {:?}", program.run(BUDGET));
    Ok(())
}

export!(Host);
