//! `mvvm` (built as `mvvm-host`, installed as `dist/mvvm`): the native
//! launcher of the MVVM emulator component.
//!
//! ```text
//! mvvm [--dir HOST[::GUEST]]... [--component PATH] [--jit=on|off] [--net=loopback|all] [emulator options] program [args...]
//! ```
//!
//! The emulator itself is a WASI 0.2 component (`mvvm.wasm`) that exports
//! `wasi:cli/run` and `mvvm:vm/status`. This launcher runs it on Wasmtime,
//! so that using the emulator feels like using `qemu-riscv64`:
//!
//! - Launcher options come first and are consumed here; the first argument
//!   that is not one of them, and everything after it, is passed unchanged as
//!   the component's arguments, after an `argv[0]` of `mvvm`.
//!   - `--dir HOST[::GUEST]` (repeatable): preopen the host directory `HOST`
//!     read-write at guest path `GUEST` (default: `HOST`), as
//!     `wasmtime run --dir` does.
//!   - `--component PATH`: the component to run.
//!   - `--net=loopback|all` (or `--net loopback|all`): which peers the guest's
//!     sockets may reach (default `loopback`, see **Network** below).
//!   - `--jit=on|off` (or `--jit on|off`): run the emulator with its JIT tier
//!     (`mvvm-jit.wasm`, whose hot code this launcher compiles; see [`jit`]) or
//!     the interpreter only (`mvvm.wasm`). Default: on when `mvvm-jit.wasm` is
//!     next to this executable.
//! - **File system:** with no `--dir`, the host's `/` is preopened as `/`, so
//!   the guest sees the whole file system, as under qemu-user. `PWD` is set
//!   to the guest path of the host's current directory (the directory itself
//!   with the default `/`), which the component uses to resolve relative
//!   paths; it is unset when no preopen contains the current directory.
//! - **Environment:** all host variables are passed on (those that are not
//!   UTF-8 are dropped, since WASI 0.2 strings are UTF-8); standard input,
//!   output and error are inherited.
//! - **Network:** TCP, UDP and name lookup are allowed, but by default only
//!   with loopback peers: connect, send, accept and receive need a loopback
//!   address, and binds a loopback or the wildcard address. `--net=all`
//!   lifts the restriction (as `wasmtime run -S inherit-network` does).
//! - **Component:** `--component PATH`, else `$MVVM_COMPONENT`, else
//!   `mvvm-jit.wasm` or `mvvm.wasm` (as `--jit` says) next to this executable.
//!   Its compiled form is cached (see [`cache`]), so a warm start takes a few
//!   milliseconds. Either world can be run with either `--jit` setting: with
//!   `--jit=off` the JIT import is still there but refuses to start.
//! - **Memory:** the component may grow its linear memory up to the 4 GiB
//!   wasm32 limit; the store sets no limit, and Wasmtime's default 4 GiB
//!   reservation lets it grow in place (only touched pages use RAM).
//!
//! **Exit status:** after `run` returns, the launcher asks the component's
//! `exit-status` and exits with it (0-255). If the component traps (an
//! emulator bug) or cannot be loaded, it prints one line
//! `mvvm: internal error: REASON` and exits with 125; set `MVVM_BACKTRACE=1`
//! to print the full error with its wasm backtrace instead. Mistakes in the
//! launcher's own options also exit with 125.

mod cache;
mod jit;
mod state;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Engine, Store};

use state::{Preopen, State};

// The JIT world is a superset of the portable one (same exports, one more import),
// so these bindings run both components.
wasmtime::component::bindgen!({
    path: "../wit",
    world: "mvvm-jit",
    imports: { default: trappable },
});

/// Exit status for failures of the launcher or the emulator itself.
const INTERNAL_ERROR: u8 = 125;

/// The launcher's command line, split from the emulator's.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    preopens: Vec<Preopen>,
    component: Option<PathBuf>,
    /// `--jit`: `None` means on when `mvvm-jit.wasm` exists.
    jit: Option<bool>,
    /// `--net=all`: any peer, not only loopback.
    net_all: bool,
    /// The component's argv, starting with `mvvm`.
    argv: Vec<String>,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args_os().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("mvvm: {message}");
            return ExitCode::from(INTERNAL_ERROR);
        }
    };
    match run(options) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            if std::env::var_os("MVVM_BACKTRACE").is_some_and(|v| v != "0") {
                eprintln!("mvvm: internal error: {e:?}");
            } else {
                eprintln!("mvvm: internal error: {}", short_reason(&e));
            }
            ExitCode::from(INTERNAL_ERROR)
        }
    }
}

/// Splits the launcher options off the front of `args`.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let mut args = args.into_iter().peekable();
    let mut options = Options::default();
    while let Some(arg) = args.peek() {
        let arg = arg.to_string_lossy();
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (&*arg, None),
        };
        if !["--dir", "--component", "--jit", "--net"].contains(&name) {
            break;
        }
        let name = name.to_owned();
        args.next();
        let value = match inline {
            Some(value) => OsString::from(value),
            None => args.next().ok_or_else(|| format!("{name} needs a value"))?,
        };
        if name == "--component" {
            options.component = Some(PathBuf::from(value));
            continue;
        }
        if name == "--net" {
            options.net_all = match value.to_str() {
                Some("loopback") => false,
                Some("all") => true,
                _ => {
                    return Err(format!(
                        "--net {}: say loopback or all",
                        value.to_string_lossy()
                    ))
                }
            };
            continue;
        }
        if name == "--jit" {
            options.jit = Some(match value.to_str() {
                Some("on") => true,
                Some("off") => false,
                _ => return Err(format!("--jit {}: say on or off", value.to_string_lossy())),
            });
            continue;
        }
        let value = value
            .into_string()
            .map_err(|v| format!("--dir {}: not UTF-8", v.to_string_lossy()))?;
        let (host, guest) = match value.split_once("::") {
            Some((host, guest)) => (host.to_owned(), guest.to_owned()),
            None => (value.clone(), value),
        };
        if host.is_empty() || guest.is_empty() {
            return Err(format!("--dir {host}::{guest}: empty path"));
        }
        options.preopens.push(Preopen {
            host: PathBuf::from(host),
            guest,
        });
    }
    if options.preopens.is_empty() {
        options.preopens.push(Preopen {
            host: PathBuf::from("/"),
            guest: "/".to_owned(),
        });
    }
    options.argv.push("mvvm".to_owned());
    // WASI 0.2 arguments are strings: non-UTF-8 bytes become U+FFFD.
    options
        .argv
        .extend(args.map(|a| a.to_string_lossy().into_owned()));
    Ok(options)
}

/// Where the component is (`--component`, `$MVVM_COMPONENT`, or next to us) and
/// whether its JIT runs.
fn component_path(options: &Options) -> wasmtime::Result<(PathBuf, bool)> {
    let jit = options.jit;
    if let Some(path) = &options.component {
        return Ok((path.clone(), jit.unwrap_or(true)));
    }
    if let Some(path) = std::env::var_os("MVVM_COMPONENT").filter(|p| !p.is_empty()) {
        return Ok((PathBuf::from(path), jit.unwrap_or(true)));
    }
    let exe = std::env::current_exe()
        .map_err(|e| wasmtime::format_err!("cannot locate the launcher executable: {e}"))?;
    let with_jit = exe.with_file_name("mvvm-jit.wasm");
    let jit = jit.unwrap_or_else(|| with_jit.exists());
    let path = if jit {
        with_jit
    } else {
        exe.with_file_name("mvvm.wasm")
    };
    if !path.exists() {
        wasmtime::bail!(
            "no component at {} (use --component PATH or MVVM_COMPONENT)",
            path.display()
        );
    }
    Ok((path, jit))
}

/// Loads and runs the component; returns the guest's exit status.
fn run(options: Options) -> wasmtime::Result<u8> {
    let (path, jit) = component_path(&options)?;
    let mut config = Config::new();
    config
        .strategy(wasmtime::Strategy::Cranelift)
        .wasm_component_model(true);
    let creator = jit.then(|| Arc::new(jit::Creator::default()));
    if let Some(creator) = &creator {
        jit::configure(&mut config, creator.clone());
    }
    let engine = Engine::new(&config)?;

    let component = cache::load(&engine, &path)?;
    let mut linker = Linker::<State>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    mvvm::vm::jit::add_to_linker::<State, HasSelf<State>>(&mut linker, |s| s)?;
    let jit_host = jit::JitHost::new(&engine, creator);
    let state = State::new(&options.argv, &options.preopens, options.net_all, jit_host)?;
    let mut store = Store::new(&engine, state);
    let mvvm = MvvmJit::instantiate(&mut store, &component, &linker)?;

    let ran = match mvvm.wasi_cli_run().call_run(&mut store) {
        Ok(ran) => ran,
        // The component is not supposed to call `wasi:cli/exit`, but if it
        // does, honour the status it asked for.
        Err(e) => match e.downcast_ref::<wasmtime_wasi::I32Exit>() {
            Some(exit) => return Ok(u8::try_from(exit.0).unwrap_or(1)),
            None => return Err(e),
        },
    };
    let status = mvvm.mvvm_vm_status().call_exit_status(&mut store)?;
    Ok(match (ran, u8::try_from(status)) {
        // A failed run never reports success.
        (Err(()), Ok(0)) => 1,
        (_, Ok(status)) => status,
        (_, Err(_)) => 255,
    })
}

/// One line saying why the component could not run: the trap if it trapped,
/// else the outermost error message.
fn short_reason(e: &wasmtime::Error) -> String {
    if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
        return trap.to_string();
    }
    // `{:#}` puts the whole cause chain on one line: "context: cause: ...".
    format!("{e:#}")
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_args(args.iter().map(OsString::from))
    }

    fn preopen(host: &str, guest: &str) -> Preopen {
        Preopen {
            host: PathBuf::from(host),
            guest: guest.to_owned(),
        }
    }

    #[test]
    fn defaults_to_whole_file_system() {
        let o = parse(&["prog", "a"]).unwrap();
        assert_eq!(o.preopens, vec![preopen("/", "/")]);
        assert_eq!(o.component, None);
        assert_eq!(o.argv, ["mvvm", "prog", "a"]);
    }

    #[test]
    fn consumes_only_leading_launcher_options() {
        let o = parse(&[
            "--dir",
            "/tmp::/t",
            "--dir=/srv",
            "--component=x.wasm",
            "-L",
            "/sysroot",
            "prog",
            "--dir",
            "y",
        ])
        .unwrap();
        assert_eq!(
            o.preopens,
            vec![preopen("/tmp", "/t"), preopen("/srv", "/srv")]
        );
        assert_eq!(o.component, Some(PathBuf::from("x.wasm")));
        assert_eq!(o.argv, ["mvvm", "-L", "/sysroot", "prog", "--dir", "y"]);
    }

    #[test]
    fn parses_jit_switch() {
        assert_eq!(parse(&["prog"]).unwrap().jit, None);
        assert_eq!(parse(&["--jit=off", "prog"]).unwrap().jit, Some(false));
        let o = parse(&["--jit", "on", "-jit-threshold", "1", "prog"]).unwrap();
        assert_eq!(o.jit, Some(true));
        assert_eq!(o.argv, ["mvvm", "-jit-threshold", "1", "prog"]);
        assert!(parse(&["--jit=maybe", "prog"]).is_err());
    }

    #[test]
    fn parses_net_switch() {
        assert!(!parse(&["prog"]).unwrap().net_all);
        assert!(parse(&["--net=all", "prog"]).unwrap().net_all);
        assert!(!parse(&["--net", "loopback", "prog"]).unwrap().net_all);
        assert!(parse(&["--net=lan", "prog"]).is_err());
    }

    #[test]
    fn rejects_missing_values() {
        assert!(parse(&["--component"]).is_err());
        assert!(parse(&["--dir", "::/x"]).is_err());
    }
}
