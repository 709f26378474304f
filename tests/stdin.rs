//! Standard input that is a pipe with nothing in it yet: `poll` must say so
//! (time out) rather than report it readable, and wake when input arrives.
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

/// Runs `cmd` on the guest with a piped stdin written after the first line out.
fn drive(mut cmd: Command) -> String {
    let guest = Path::new(ROOT).join("build/guests/stdin_poll.static");
    assert!(
        guest.exists(),
        "{} is missing: run make guests",
        guest.display()
    );
    let mut child = cmd
        .arg(&guest)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    out.read_line(&mut text).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"hello").unwrap();
    drop(stdin);
    std::io::Read::read_to_string(&mut out, &mut text).unwrap();
    assert!(child.wait().unwrap().success(), "{cmd:?}: {text}");
    text
}

fn check(cmd: Command) {
    let want = drive(Command::new("qemu-riscv64"));
    assert_eq!(want, "poll with timeout: 0\npoll: 1 POLLIN\nread: hello\n");
    assert_eq!(drive(cmd), want);
}

#[test]
fn native() {
    check(Command::new(env!("CARGO_BIN_EXE_mvvm")));
}

#[test]
fn launcher() {
    let mut c = Command::new(Path::new(ROOT).join("dist/mvvm"));
    c.arg("--jit=off");
    check(c);
}

#[test]
fn wasmtime_run() {
    let mut c = Command::new(std::env::var("WASMTIME").unwrap_or("wasmtime".into()));
    c.args(["run", "--dir", "/::/"])
        .arg(Path::new(ROOT).join("dist/mvvm.wasm"));
    check(c);
}
