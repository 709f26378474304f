//! The qemu-user style command line: `mvvm [options] program [args...]`, with the
//! matching `QEMU_*` environment variables. Shared by the native binary and the
//! component's `wasi:cli/run` export.

use crate::isa::ExtSet;
use crate::machine::{LogItems, Machine, Options};
use std::ffi::OsString;

const USAGE: &str = "usage: mvvm [options] program [arguments...]
       mvvm [options] -restore snapshot
Runs a riscv64 Linux program, or resumes one from a snapshot.

Options (and the environment variables that set them):
  -L path          sysroot for the dynamic linker and absolute paths   QEMU_LD_PREFIX
  -E var=value     set a variable in the guest's environment           QEMU_SET_ENV
  -U var           remove a variable from the guest's environment      QEMU_UNSET_ENV
  -0 argv0         run the program with this argv[0]                   QEMU_ARGV0
  -s size          stack size (suffixes k, M, G)                        QEMU_STACK_SIZE
  -m size          guest memory limit (default 1G, at most 3G)          MVVM_MEMORY
  -cpu model       CPU and extensions, e.g. rva22u64,zicond=on ('help') QEMU_CPU
  -strace          log system calls                                    QEMU_STRACE
  -d item[,...]    log in_asm, exec, cpu, stats, jit                   QEMU_LOG
  -D logfile       write -d logs to this file                          QEMU_LOG_FILENAME
  -jit-threshold n block executions before the JIT compiles (0: off)   MVVM_JIT_THRESHOLD
  -jit-lockstep    check each JIT call against the interpreter; stop   MVVM_JIT_LOCKSTEP
                   with status 123 at the first divergence
  -g port          wait for GDB on 127.0.0.1:port (0: any free port)   QEMU_GDB
  -snapshot-at n:file  after about n instructions, write a snapshot and go on
  -pause-at n:file     after about n instructions, write a snapshot and stop
  -restore file        resume the process saved in a snapshot (its CPU, memory
                       size, arguments and environment come from the snapshot; a
                       regular-file stdin is moved to where the guest had read)
  -version         print the version
  -h, -help        print this help";

/// Parses a size such as `8M`.
fn parse_size(s: &str) -> Option<u64> {
    let (num, mul) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1 << 10),
        'm' | 'M' => (&s[..s.len() - 1], 1 << 20),
        'g' | 'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mul)
}

fn parse_log(items: &str) -> Result<LogItems, String> {
    let mut l = LogItems::default();
    for item in items.split(',').filter(|i| !i.is_empty()) {
        match item {
            "in_asm" => l.in_asm = true,
            "exec" => l.exec = true,
            "cpu" => l.cpu = true,
            "stats" => l.stats = true,
            "jit" => l.jit = true,
            _ => {
                return Err(format!(
                    "unknown -d item '{item}' (known: in_asm, exec, cpu, stats, jit)"
                ))
            }
        }
    }
    Ok(l)
}

/// Runs the command line `args` (without the emulator's own argv[0]); returns the
/// process exit status.
pub fn main(args: Vec<OsString>) -> u8 {
    match run(args) {
        Ok(code) => code,
        Err((msg, code)) => {
            eprintln!("mvvm: {msg}");
            code
        }
    }
}

fn run(args: Vec<OsString>) -> Result<u8, (String, u8)> {
    let usage = |m: String| (m, 1);
    let mut opts = Options::default();
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    let var = |k: &str| std::env::var(k).ok();
    let set_env = |env: &mut Vec<(OsString, OsString)>, kv: &str| -> Result<(), (String, u8)> {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| usage(format!("-E needs var=value, got '{kv}'")))?;
        env.retain(|(ek, _)| ek != k);
        env.push((k.into(), v.into()));
        Ok(())
    };
    let mut argv0 = var("QEMU_ARGV0");
    let parse_port = |s: &str| {
        s.parse::<u16>()
            .map_err(|_| usage(format!("bad GDB port '{s}'")))
    };
    let mut gdb = var("QEMU_GDB").map(|p| parse_port(&p)).transpose()?;
    opts.sysroot = var("QEMU_LD_PREFIX");
    opts.strace = var("QEMU_STRACE").is_some();
    opts.log_file = var("QEMU_LOG_FILENAME");
    if let Some(l) = var("QEMU_LOG") {
        opts.log = parse_log(&l).map_err(usage)?;
    }
    if let Some(s) = var("QEMU_STACK_SIZE") {
        opts.stack_size =
            parse_size(&s).ok_or_else(|| usage(format!("bad QEMU_STACK_SIZE '{s}'")))?;
    }
    if let Some(s) = var("MVVM_MEMORY") {
        opts.mem_size = parse_size(&s).ok_or_else(|| usage(format!("bad MVVM_MEMORY '{s}'")))?;
    }
    if let Some(s) = var("QEMU_CPU") {
        opts.cpu = ExtSet::parse(&s).map_err(usage)?;
    }
    if let Some(s) = var("MVVM_JIT_THRESHOLD") {
        opts.jit_threshold = s
            .parse()
            .map_err(|_| usage(format!("bad MVVM_JIT_THRESHOLD '{s}'")))?;
    }
    opts.jit_lockstep = var("MVVM_JIT_LOCKSTEP").is_some_and(|v| !v.is_empty() && v != "0");
    if let Some(list) = var("QEMU_SET_ENV") {
        for kv in list.split(',') {
            set_env(&mut env, kv)?;
        }
    }
    if let Some(list) = var("QEMU_UNSET_ENV") {
        env.retain(|(k, _)| !list.split(',').any(|u| k == u));
    }

    let mut plan = None;
    let mut restore = None;
    let mut it = args.into_iter();
    let program = loop {
        let Some(arg) = it.next() else {
            if restore.is_some() {
                break String::new();
            }
            return Err(usage("no program given (try 'mvvm -h')".into()));
        };
        let a = arg.to_string_lossy().into_owned();
        if !a.starts_with('-') || a == "-" {
            break a;
        }
        // `--name=value` as well as `-name value`.
        let (name, mut inline) = match a.trim_start_matches('-').split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.trim_start_matches('-'), None),
        };
        let mut value = || {
            if let Some(v) = inline.take() {
                return Ok(v);
            }
            it.next()
                .map(|v| v.to_string_lossy().into_owned())
                .ok_or_else(|| usage(format!("option {a} needs an argument")))
        };
        match name {
            "L" => opts.sysroot = Some(value()?),
            "E" => set_env(&mut env, &value()?)?,
            "U" => {
                let k = value()?;
                env.retain(|(ek, _)| *ek != *k);
            }
            "0" => argv0 = Some(value()?),
            "s" => {
                let v = value()?;
                opts.stack_size =
                    parse_size(&v).ok_or_else(|| usage(format!("bad stack size '{v}'")))?;
            }
            "m" => {
                let v = value()?;
                opts.mem_size =
                    parse_size(&v).ok_or_else(|| usage(format!("bad memory size '{v}'")))?;
            }
            "strace" => opts.strace = true,
            "cpu" => match value()?.as_str() {
                "help" | "?" => {
                    println!("{}", ExtSet::help());
                    return Ok(0);
                }
                v => opts.cpu = ExtSet::parse(v).map_err(usage)?,
            },
            "jit-threshold" => {
                let v = value()?;
                opts.jit_threshold = v
                    .parse()
                    .map_err(|_| usage(format!("bad JIT threshold '{v}'")))?;
            }
            "jit-lockstep" => opts.jit_lockstep = true,
            "snapshot-at" | "pause-at" => {
                let v = value()?;
                let (n, path) = v
                    .split_once(':')
                    .and_then(|(n, p)| Some((n.parse().ok()?, p)))
                    .filter(|(_, p)| !p.is_empty())
                    .ok_or_else(|| usage(format!("{a} needs INSNS:FILE, got '{v}'")))?;
                plan = Some(crate::snapshot::Plan {
                    at: n,
                    path: path.to_string(),
                    stop: name == "pause-at",
                });
            }
            "restore" => restore = Some(value()?),
            "g" => gdb = Some(parse_port(&value()?)?),
            "d" => opts.log = parse_log(&value()?).map_err(usage)?,
            "D" => opts.log_file = Some(value()?),
            "version" => {
                println!(
                    "mvvm version {} (riscv64 Linux user-mode emulator)",
                    env!("CARGO_PKG_VERSION")
                );
                return Ok(0);
            }
            "h" | "help" => {
                println!("{USAGE}");
                return Ok(0);
            }
            "" => {
                break it
                    .next()
                    .map(|v| v.to_string_lossy().into_owned())
                    .ok_or_else(|| usage("no program given".into()))?
            }
            _ => return Err(usage(format!("unknown option '{a}' (try 'mvvm -h')"))),
        }
    };
    if let Some(file) = restore {
        return resume(&file, &program, &opts, plan);
    }
    if !(1 << 24..=3 << 30).contains(&opts.mem_size) {
        return Err(usage("guest memory must be between 16M and 3G".into()));
    }
    if opts.stack_size < 1 << 16 || opts.stack_size > opts.mem_size / 2 {
        return Err(usage(
            "stack size must be at least 64k and at most half the guest memory".into(),
        ));
    }

    let mut guest_argv: Vec<Vec<u8>> = vec![argv0.unwrap_or_else(|| program.clone()).into_bytes()];
    guest_argv.extend(it.map(|a| a.to_string_lossy().into_owned().into_bytes()));
    let envp: Vec<Vec<u8>> = env
        .iter()
        .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()).into_bytes())
        .collect();

    if gdb.is_some() {
        // Under a debugger every instruction runs in the interpreter, which stops
        // exactly where asked.
        opts.jit_threshold = 0;
    }
    let cwd = guest_cwd();
    // The sysroot is looked up for every absolute path the guest names, long after
    // the guest may have changed directory: anchor a relative one here, as qemu does
    // by resolving it against its own (fixed) directory.
    if let Some(root) = opts.sysroot.as_mut().filter(|r| !r.starts_with('/')) {
        *root = crate::linux::fs_normalize(&format!("{cwd}/{root}"));
    }
    let mut m = Machine::new(&opts, cwd).map_err(|e| (e, 1))?;
    m.load(&program, guest_argv, envp)
        .map_err(|e| (e.to_string(), e.exit_code()))?;
    m.snapshot_plan = plan;
    match gdb {
        Some(port) => crate::gdbstub::serve(m, port).map_err(|e| (e, 1)),
        None => Ok(m.run().code()),
    }
}

/// `-restore file`: runs the process saved in `file` on (exit status 127 if the file
/// is missing, 126 if it is not a snapshot this MVVM can resume).
fn resume(
    file: &str,
    program: &str,
    opts: &Options,
    plan: Option<crate::snapshot::Plan>,
) -> Result<u8, (String, u8)> {
    if !program.is_empty() {
        return Err((format!("-restore takes no program (got '{program}')"), 1));
    }
    let bytes = std::fs::read(file).map_err(|e| {
        let code = if e.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        };
        (format!("{file}: {e}"), code)
    })?;
    let mut m = Machine::restore(&bytes, opts).map_err(|e| (format!("{file}: {e}"), 126))?;
    m.snapshot_plan = plan;
    Ok(m.run().code())
}

/// The guest starts in `$PWD` when the host says where that is (WASI hosts have no
/// working directory of their own), else in the host's current directory.
fn guest_cwd() -> String {
    match std::env::var("PWD") {
        Ok(p) if p.starts_with('/') => crate::linux::fs_normalize(&p),
        _ => std::env::current_dir()
            .map_or_else(|_| "/".into(), |p| p.to_string_lossy().into_owned()),
    }
}
