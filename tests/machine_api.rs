//! The embedding API (`mvvm:vm/machine`, `src/embed.rs`): natively against a small
//! RISC-V plugin (`examples/plugin-host/plugin.c`, built here with
//! riscv64-linux-gnu-gcc), and as a composed component: `make build` plugs
//! `dist/mvvm.wasm` into the example embedder with `wac plug`, and plain
//! `wasmtime run` must run the result. Missing tools or artifacts are failures.

use mvvm::embed::{Config, Embedded, Error, Event};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Where called functions return: unmapped (page 0), stopped by a breakpoint.
const RETURN: u64 = 0x4;

fn plugin() -> &'static (PathBuf, Vec<u8>) {
    static PLUGIN: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    PLUGIN.get_or_init(|| {
        let flags = [
            "-O2",
            "-nostdlib",
            "-static",
            "-mno-relax",
            "-ffreestanding",
        ];
        let flags = [&flags[..], &["-fno-builtin"]].concat();
        let source = "examples/plugin-host/plugin.c";
        let elf = common::cross_gcc("plugin", "plugin.elf", &flags, source);
        let bytes = std::fs::read(&elf).expect("plugin.elf");
        (elf, bytes)
    })
}

fn machine() -> Embedded {
    Embedded::create(&plugin().1, Config::default()).expect("the plugin loads")
}

/// Calls `name(args)`; returns a0.
fn call(m: &mut Embedded, name: &str, args: &[u64]) -> u64 {
    for (i, &a) in args.iter().enumerate() {
        m.set_x(10 + i as u32, a).unwrap();
    }
    m.set_x(1, RETURN).unwrap();
    m.set_pc(m.symbol(name).expect("symbol"));
    m.add_breakpoint(RETURN);
    assert_eq!(m.run(10_000_000), Event::Breakpoint(RETURN));
    m.x(10).unwrap()
}

#[test]
fn calls_functions_and_reads_memory() {
    let mut m = machine();
    assert_eq!(call(&mut m, "fib", &[30]), 832040);
    assert_eq!(call(&mut m, "fib", &[90]), 2880067194370816120);
    let buf = m.map(0, 4096, true, true, false).unwrap();
    let len = call(&mut m, "greet", &[buf, 64, 1234]);
    assert_eq!(m.read(buf, len as u32).unwrap(), b"hello from RISC-V, 1234");
    // The host writes, the guest reads: greet with a buffer too short.
    m.write(buf, &[b'#'; 8]).unwrap();
    assert_eq!(call(&mut m, "greet", &[buf, 5, 7]), 5);
    assert_eq!(m.read(buf, 8).unwrap(), b"hello###");
}

#[test]
fn budgets_are_exact_and_resumable() {
    let mut m = machine();
    m.set_pc(m.symbol("spin").unwrap());
    for budget in [1, 63, 64, 1000, 100_000] {
        let before = m.instructions();
        assert_eq!(m.run(budget), Event::BudgetSpent);
        assert_eq!(m.instructions() - before, budget);
    }
    assert_eq!(m.run(0), Event::BudgetSpent);
}

#[test]
fn breakpoints_stop_before_and_resume_from() {
    let mut m = machine();
    let fib = m.symbol("fib").unwrap();
    m.set_x(10, 10).unwrap();
    m.set_x(1, RETURN).unwrap();
    m.set_pc(fib);
    m.add_breakpoint(fib);
    m.add_breakpoint(RETURN);
    // Starting at a breakpoint runs it; the loop never comes back to the entry.
    assert_eq!(m.run(1_000_000), Event::Breakpoint(RETURN));
    assert_eq!(m.x(10).unwrap(), 55);
    m.remove_breakpoint(RETURN);
    m.remove_breakpoint(RETURN);
    // Past the breakpoint: a fetch from page 0 kills the process with SIGSEGV.
    assert_eq!(m.run(1_000_000), Event::Killed(11));
}

#[test]
fn steps_one_instruction_at_a_time() {
    let mut m = machine();
    let entry = m.pc();
    assert_eq!(m.step(), Event::BudgetSpent);
    assert_eq!(m.instructions(), 1);
    assert!(m.pc() != entry);
    // The whole program: exit(fib(10)).
    let mut events = 0;
    loop {
        match m.step() {
            Event::BudgetSpent => events += 1,
            e => {
                assert_eq!(e, Event::Exited(55));
                break;
            }
        }
        assert!(events < 10_000, "the program does not end");
    }
    // A finished process stays finished.
    assert_eq!(m.run(100), Event::Exited(55));
}

#[test]
fn writes_over_code_take_effect() {
    let mut m = machine();
    assert_eq!(call(&mut m, "fib", &[5]), 5);
    // Replace fib's first instruction by `li a0, 77; ret` (two compressed words).
    let fib = m.symbol("fib").unwrap();
    m.write(fib, &[0x13, 0x05, 0xd0, 0x04, 0x82, 0x80])
        .expect("the API writes read-only code, as a debugger does");
    assert_eq!(call(&mut m, "fib", &[5]), 77);
}

#[test]
fn bad_arguments_are_errors() {
    let mut m = machine();
    assert_eq!(m.x(32), Err(Error::BadRegister(32)));
    assert_eq!(m.set_f(99, 0), Err(Error::BadRegister(99)));
    assert_eq!(m.read(0, 8), Err(Error::BadAddress(0)));
    assert_eq!(
        m.read(u64::MAX - 3, 8),
        Err(Error::BadAddress(u64::MAX - 3))
    );
    let text = m.symbol("fib").unwrap();
    assert!(m.read(text, 4).is_ok());
    assert!(matches!(
        m.map(0x1234, 4096, true, false, false),
        Err(Error::BadAddress(_))
    ));
    assert!(m.symbol("no_such_function").is_none());
    m.set_x(0, 5).unwrap();
    assert_eq!(m.x(0), Ok(0));
    for bad in [&b""[..], b"\x7fELF", &[0u8; 100], &plugin().1[..200]] {
        assert!(matches!(
            Embedded::create(bad, Config::default()),
            Err(Error::BadExecutable(_))
        ));
    }
    let cpu = Config {
        cpu: Some("pentium".into()),
        ..Config::default()
    };
    assert!(matches!(
        Embedded::create(&plugin().1, cpu),
        Err(Error::BadOption(_))
    ));
    let small = Config {
        memory: Some(4096),
        ..Config::default()
    };
    assert!(matches!(
        Embedded::create(&plugin().1, small),
        Err(Error::BadOption(_))
    ));
}

#[test]
fn composed_component_runs_under_wasmtime() {
    let composed = Path::new(ROOT).join("dist/plugin-host.composed.wasm");
    assert!(
        composed.exists(),
        "{} is missing: run make build",
        composed.display()
    );
    let (elf, _) = plugin();
    let out = Command::new(std::env::var("WASMTIME").unwrap_or("wasmtime".into()))
        .arg("run")
        .arg("--dir")
        .arg(format!("{}::/plugin", elf.parent().unwrap().display()))
        .arg(&composed)
        .arg("/plugin/plugin.elf")
        .output()
        .expect("wasmtime (make setup installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fib(30) = 832040\n\
         greet: hello from RISC-V, 42\n\
         sum_settings(4) = 100\n\
         spin: Event::BudgetSpent after 1000 instructions\n\
         x(40): Err(Error::BadRegister(40))\n\
         read(0, 8): Err(Error::BadAddress(0))\n\
         program: Event::Exited(55)\n"
    );
}

/// A corpus program (`make guests` builds them) and its bytes.
fn guest(name: &str) -> (PathBuf, Vec<u8>) {
    let path = Path::new(ROOT).join("build/guests").join(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run make guests)", path.display()));
    (path, bytes)
}

/// Runs `m` to its end; the exit status.
fn finish(m: &mut Embedded) -> Event {
    for _ in 0..1000 {
        match m.run(10_000_000) {
            Event::BudgetSpent => continue,
            e => return e,
        }
    }
    panic!("the program does not end");
}

#[test]
fn standard_streams_in_memory_match_qemu() {
    let (path, elf) = guest("stdio.static");
    let input = std::fs::read(Path::new(ROOT).join("tests/guest/stdio.stdin")).unwrap();
    let oracle = Command::new("qemu-riscv64")
        .arg(&path)
        .stdin(std::fs::File::open(Path::new(ROOT).join("tests/guest/stdio.stdin")).unwrap())
        .output()
        .expect("qemu-riscv64 (make setup installs it)");
    let config = Config {
        stdin: Some(input),
        ..Config::default()
    };
    let mut m = Embedded::create(&elf, config).unwrap();
    assert_eq!(finish(&mut m), Event::Exited(0));
    assert_eq!(
        String::from_utf8_lossy(&m.take_stdout()),
        String::from_utf8_lossy(&oracle.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&m.take_stderr()),
        String::from_utf8_lossy(&oracle.stderr)
    );
    // Taken output is gone.
    assert!(m.take_stdout().is_empty());
}

#[test]
fn empty_stdin_is_end_of_file() {
    let (_, elf) = guest("stdio.static");
    let config = Config {
        stdin: Some(Vec::new()),
        ..Config::default()
    };
    let mut m = Embedded::create(&elf, config).unwrap();
    assert_eq!(finish(&mut m), Event::Exited(0));
    let out = String::from_utf8(m.take_stdout()).unwrap();
    assert!(
        out.starts_with("complete lines: 0, pieces: 0, sum: 0\n"),
        "{out}"
    );
    // Without `stdin`, nothing is captured.
    assert!(machine().take_stdout().is_empty());
}

const WRITE: u64 = 64;
const EXIT_GROUP: u64 = 94;

#[test]
fn intercepted_system_calls_are_answered_by_the_embedder() {
    let (_, elf) = guest("hello.static");
    let config = Config {
        stdin: Some(Vec::new()),
        intercept: vec![WRITE, EXIT_GROUP],
        ..Config::default()
    };
    let mut m = Embedded::create(&elf, config).unwrap();
    // Nothing to answer yet.
    assert_eq!(m.answer_syscall(0), Err(Error::NoSyscall));
    let mut written = Vec::new();
    let status = loop {
        match m.run(10_000_000) {
            Event::Syscall(WRITE) => {
                let (fd, buf, len) = (m.x(10).unwrap(), m.x(11).unwrap(), m.x(12).unwrap());
                assert_eq!(fd, 1);
                let pc = m.pc();
                // Running again reports the same call again.
                assert_eq!(m.run(100), Event::Syscall(WRITE));
                assert_eq!(m.pc(), pc);
                written.extend(m.read(buf, len as u32).unwrap());
                m.answer_syscall(len as i64).unwrap();
                assert_eq!(m.pc(), pc + 4);
                assert_eq!(m.answer_syscall(0), Err(Error::NoSyscall));
            }
            Event::Syscall(EXIT_GROUP) => break m.x(10).unwrap(),
            e => panic!("unexpected {e:?}"),
        }
    };
    assert_eq!(status, 0);
    assert_eq!(
        String::from_utf8_lossy(&written),
        "hello from write(2)\nhello, world\n"
    );
    // MVVM served nothing: the guest's stdout stayed empty.
    assert!(m.take_stdout().is_empty());
    // Handing exit_group back to MVVM ends the process.
    m.pass_syscall().unwrap();
    assert_eq!(m.run(100), Event::Exited(0));
}

#[test]
fn intercepted_system_calls_can_be_passed_back() {
    let (_, elf) = guest("hello.static");
    let config = Config {
        stdin: Some(Vec::new()),
        intercept: vec![WRITE],
        ..Config::default()
    };
    let mut m = Embedded::create(&elf, config).unwrap();
    let mut seen = 0;
    let event = loop {
        match m.run(10_000_000) {
            Event::Syscall(WRITE) if seen == 0 => {
                seen += 1;
                // A moved pc makes the answer stale.
                let pc = m.pc();
                m.set_pc(pc + 4);
                assert_eq!(m.pass_syscall(), Err(Error::NoSyscall));
                m.set_pc(pc);
            }
            Event::Syscall(WRITE) => {
                seen += 1;
                m.pass_syscall().unwrap();
            }
            e => break e,
        }
    };
    assert_eq!(event, Event::Exited(0));
    assert_eq!(seen, 3, "the first write is reported twice, then printf's");
    // Interception can change between runs: a fresh run with none passes all.
    let mut m = Embedded::create(
        &elf,
        Config {
            stdin: Some(Vec::new()),
            ..Config::default()
        },
    )
    .unwrap();
    m.set_intercept([WRITE]);
    assert_eq!(m.run(10_000_000), Event::Syscall(WRITE));
    m.set_intercept([]);
    assert_eq!(m.run(10_000_000), Event::Exited(0));
    assert_eq!(
        String::from_utf8_lossy(&m.take_stdout()),
        "hello from write(2)\nhello, world\n"
    );
}

#[test]
fn in_memory_streams_survive_snapshots() {
    let (_, elf) = guest("stdio.static");
    let input = std::fs::read(Path::new(ROOT).join("tests/guest/stdio.stdin")).unwrap();
    let config = Config {
        stdin: Some(input),
        ..Config::default()
    };
    let mut whole = Embedded::create(&elf, config.clone()).unwrap();
    assert_eq!(finish(&mut whole), Event::Exited(0));
    let (out, err, total) = (
        whole.take_stdout(),
        whole.take_stderr(),
        whole.instructions(),
    );
    for at in [total / 4, total / 2, total * 3 / 4] {
        let mut m = Embedded::create(&elf, config.clone()).unwrap();
        assert_eq!(m.run(at), Event::BudgetSpent);
        // Output taken before the snapshot is not in it; stderr's is.
        let mut stdout = m.take_stdout();
        let mut resumed = Embedded::restore(&m.snapshot().unwrap()).unwrap();
        assert_eq!(finish(&mut resumed), Event::Exited(0));
        stdout.extend(resumed.take_stdout());
        assert_eq!(
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&out)
        );
        assert_eq!(resumed.take_stderr(), err, "paused at {at} of {total}");
    }
}
