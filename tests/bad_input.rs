//! Bad input gets one clear line on stderr and a defined exit status, never a
//! panic, a trap backtrace or a hang: malformed, foreign and missing programs, a
//! missing dynamic linker, exhausted guest memory, illegal instructions, faults.
//!
//! Guest programs here are tiny ELF files assembled in the test with `tests/common`
//! (hand-written expectations: the oracle is not needed to know what these must do).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const MVVM: &str = env!("CARGO_BIN_EXE_mvvm");

mod common;
use common::{rv, tiny_elf};

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    common::temp_file("mvvm-bad-input", name, bytes)
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(MVVM).args(args).output().expect("run mvvm");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "emulator panicked: {stderr}");
    out
}

/// Asserts exactly one stderr line containing `needle`, and the exit status.
fn expect_error(args: &[&str], status: i32, needle: &str) {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(status),
        "status for {args:?}; stderr: {stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line expected for {args:?}, got: {stderr}"
    );
    assert!(
        stderr.starts_with("mvvm: ") && stderr.contains(needle),
        "{args:?}: {stderr:?} lacks {needle:?}"
    );
}

#[test]
fn tiny_program_exits_with_its_status() {
    let code = [&[rv::addi(10, 0, 42)][..], &rv::syscall(93)].concat();
    let p = temp_file("exit42", &tiny_elf(&code, None));
    let out = run(&[p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(42));
    assert!(out.stderr.is_empty());
}

#[test]
fn missing_program() {
    expect_error(&["/nonexistent/prog"], 127, "No such file or directory");
}

#[test]
fn not_an_elf() {
    let p = temp_file("text", b"#!/bin/sh\necho hi\n");
    expect_error(&[p.to_str().unwrap()], 126, "not an ELF executable");
}

#[test]
fn truncated_elf() {
    let elf = tiny_elf(&rv::syscall(93), None);
    for len in [5, 20, 63, 64, 100] {
        let p = temp_file(&format!("trunc{len}"), &elf[..len]);
        expect_error(&[p.to_str().unwrap()], 126, "ELF");
    }
}

#[test]
fn segment_offset_not_congruent_with_address() {
    let mut elf = tiny_elf(&rv::syscall(93), None);
    // p_align = 0 and p_vaddr = 0x10010 while p_offset = 0: no page holds both.
    elf[64 + 48..64 + 56].copy_from_slice(&0u64.to_le_bytes());
    elf[64 + 16..64 + 24].copy_from_slice(&0x10010u64.to_le_bytes());
    let p = temp_file("incongruent", &elf);
    expect_error(&[p.to_str().unwrap()], 126, "malformed ELF file");
}

#[test]
fn wrong_class_and_machine() {
    let mut elf32 = tiny_elf(&rv::syscall(93), None);
    elf32[4] = 1;
    let p = temp_file("elf32", &elf32);
    expect_error(&[p.to_str().unwrap()], 126, "not a 64-bit ELF");
    let mut x86 = tiny_elf(&rv::syscall(93), None);
    x86[18] = 62;
    let p = temp_file("x86", &x86);
    expect_error(&[p.to_str().unwrap()], 126, "is not RISC-V");
}

#[test]
fn missing_dynamic_linker() {
    let p = temp_file(
        "needs-ld",
        &tiny_elf(&rv::syscall(93), Some("/nonexistent/ld-linux-riscv64.so.1")),
    );
    expect_error(
        &[p.to_str().unwrap()],
        126,
        "dynamic linker /nonexistent/ld-linux-riscv64.so.1",
    );
}

#[test]
fn program_bigger_than_guest_memory() {
    let mut elf = tiny_elf(&rv::syscall(93), None);
    // p_memsz of the one segment: 2 GiB.
    elf[64 + 40..64 + 48].copy_from_slice(&(2u64 << 30).to_le_bytes());
    let p = temp_file("huge", &elf);
    expect_error(
        &[p.to_str().unwrap()],
        126,
        "does not fit in the guest memory limit",
    );
}

#[test]
fn guest_memory_exhausted_is_enomem() {
    // a0 = mmap(0, 1 GiB, RW, PRIVATE|ANON, -1, 0); exit(a0): -ENOMEM & 0xff = 244.
    let code = [
        &[
            rv::addi(10, 0, 0),
            rv::lui(11, 0x40000),
            rv::addi(12, 0, 3),
            rv::addi(13, 0, 0x22),
            rv::addi(14, 0, -1),
            rv::addi(15, 0, 0),
        ][..],
        &rv::syscall(222),
        &rv::syscall(93),
    ]
    .concat();
    let p = temp_file("oom", &tiny_elf(&code, None));
    let out = run(&["-m", "64M", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(244));
}

#[test]
fn illegal_instruction_is_sigill() {
    let p = temp_file("illegal", &tiny_elf(&[0xffff_ffff], None));
    expect_error(
        &[p.to_str().unwrap()],
        132,
        "uncaught target signal 4 (Illegal instruction)",
    );
}

#[test]
fn unmapped_access_is_sigsegv() {
    let p = temp_file("null", &tiny_elf(&[rv::ld(10, 0, 0)], None));
    expect_error(
        &[p.to_str().unwrap()],
        139,
        "uncaught target signal 11 (Segmentation fault)",
    );
    let p = temp_file(
        "wild-jump",
        &tiny_elf(&[rv::addi(5, 0, 0x7f0), 0x0002_8067 /* jr t0 */], None),
    );
    expect_error(
        &[p.to_str().unwrap()],
        139,
        "uncaught target signal 11 (Segmentation fault)",
    );
}

#[test]
fn bad_command_lines() {
    expect_error(&[], 1, "no program given");
    expect_error(&["-nosuchoption", "x"], 1, "unknown option");
    expect_error(&["-m", "lots", "x"], 1, "bad memory size");
    expect_error(&["-d", "everything", "x"], 1, "unknown -d item");
}

/// Corrupting header bytes of a valid program never crashes the emulator: every
/// run ends with a defined status (the guest's, 126, or 128+signal) and no panic.
#[test]
fn corrupted_headers_never_crash() {
    let code = [&[rv::addi(10, 0, 7)][..], &rv::syscall(93)].concat();
    let good = tiny_elf(&code, Some("/nonexistent/ld.so"));
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let deadline = Instant::now() + Duration::from_secs(60);
    for i in 0..300 {
        let mut bad = good.clone();
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % (64 + 2 * 56)) as usize;
            bad[at] = (seed >> 32) as u8;
        }
        let p = temp_file(&format!("corrupt{}", i % 8), &bad);
        let out = run(&[p.to_str().unwrap()]);
        let code = out
            .status
            .code()
            .expect("mvvm itself must not die by a signal");
        assert!(matches!(code, 0..=255), "status {code}");
        assert!(
            code != 101 && code != 125,
            "internal error on mutation {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            Instant::now() < deadline,
            "corrupted programs took too long"
        );
    }
}
