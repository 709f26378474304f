//! Standard input that is a pipe with nothing in it yet: `poll` must say so
//! (time out) rather than report it readable, and wake when input arrives. And
//! a terminal: `tests/guest/tty.c` in a pseudo-terminal (script(1)) sees its
//! streams as terminals and talks to `/dev/tty`.
//! `tests/guest/stdin_poll.c` polls with a timeout, then without, then reads;
//! this test writes to its stdin only after it printed the first result, so
//! the first poll has to time out. Compared with qemu-riscv64 doing the same.
//! Not under jco: Node's preview2-shim calls its stdin ready at once (MVVM asks
//! the host; the guest's read then waits), so there only the e2e corpus runs
//! this program, with stdin at end of file.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `cmd` with a piped stdin, on which it writes `input` once a line of
/// output contains `after`; returns everything printed.
fn drive(mut cmd: Command, after: &str, input: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    while !text.contains(after) {
        if out.read_line(&mut text).unwrap() == 0 {
            break;
        }
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    std::io::Read::read_to_string(&mut out, &mut text).unwrap();
    assert!(child.wait().unwrap().success(), "{cmd:?}: {text}");
    text
}

fn guest(name: &str) -> String {
    let guest = Path::new(ROOT).join("build/guests").join(name);
    assert!(
        guest.exists(),
        "{} is missing: run make guests",
        guest.display()
    );
    guest.display().to_string()
}

/// `runner...` (program and leading arguments, as one shell word each) running
/// the two guests: `stdin_poll` on a pipe, `tty` inside a pseudo-terminal made
/// by script(1), input typed only after the guest asked for it.
fn check(runner: &[&str]) {
    let poll = |runner: &[&str]| {
        let mut c = Command::new(runner[0]);
        c.args(&runner[1..]).arg(guest("stdin_poll.static"));
        drive(c, "\n", "hello")
    };
    let tty = |runner: &[&str]| {
        let mut c = Command::new("script");
        let line = format!("{} {}", runner.join(" "), guest("tty.static"));
        c.args(["-qc", &line, "/dev/null"]);
        drive(c, "asking the terminal", "typed\n")
    };
    let want = poll(&["qemu-riscv64"]);
    assert_eq!(want, "poll with timeout: 0\npoll: 1 POLLIN\nread: hello\n");
    assert_eq!(poll(runner), want);
    let want = tty(&["qemu-riscv64"]);
    assert!(want.contains("the terminal said: typed"), "{want}");
    assert_eq!(tty(runner), want);
}

#[test]
fn native() {
    check(&[env!("CARGO_BIN_EXE_mvvm")]);
}

#[test]
fn launcher() {
    let launcher = format!("{ROOT}/dist/mvvm");
    check(&[&launcher, "--jit=off"]);
}

#[test]
fn wasmtime_run() {
    let wasmtime = std::env::var("WASMTIME").unwrap_or("wasmtime".into());
    let wasm = format!("{ROOT}/dist/mvvm.wasm");
    check(&[&wasmtime, "run", "--dir", "/::/", &wasm]);
}
