//! Decoder robustness harness (the coverage a cargo-fuzz target would give, on stable):
//! every 16-bit word, then tens of millions of 32-bit words, random and shaped after
//! every table row, go through `isa::decode` and `isa::disasm`, which must not panic
//! and must agree with each other and with the encoding:
//!
//! - `len` is 2 exactly when the low two bits are not `11`, and a compressed word
//!   decodes the same whatever its upper halfword holds;
//! - a decoded (non-illegal) 32-bit word matches its opcode's table row, and its
//!   register and rounding fields are in range;
//! - disassembly is never empty, and is a `.2byte`/`.4byte`/`unimp` directive
//!   exactly for illegal words.
//!
//! `MVVM_DECODE_EXHAUSTIVE=1` makes `all_words_when_asked` check all 2^32 words on
//! every core (`MVVM_DECODE_THREADS` overrides the count); without it that test does
//! nothing.

use mvvm::isa::{decode, disasm, Insn, Opcode, ROWS};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Checks one word; the error names the word and what is wrong.
fn check(word: u32) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{word:#010x}: {what}"));
    let r = catch_unwind(AssertUnwindSafe(|| {
        let i = decode(word);
        (i, disasm(word, 0x1_0000))
    }));
    let Ok((i, text)) = r else {
        return fail("decode or disasm panicked");
    };
    let compressed = word & 3 != 3;
    if i.len != if compressed { 2 } else { 4 } {
        return fail(&format!("len {} for {:?}", i.len, i.op));
    }
    if text.is_empty() {
        return fail("empty disassembly");
    }
    let directive = text.starts_with(".2byte") || text.starts_with(".4byte") || text == "unimp";
    if i.op == Opcode::Illegal {
        if !directive {
            return fail(&format!("illegal, yet disassembles as `{text}`"));
        }
        return Ok(());
    }
    // `unimp` is also binutils' name for `csrrw zero, cycle, zero`.
    if directive && text != "unimp" {
        return fail(&format!("{:?} disassembles as `{text}`", i.op));
    }
    if [i.rd, i.rs1, i.rs2, i.rs3].iter().any(|&r| r >= 32) || i.rm >= 8 {
        return fail(&format!("field out of range: {i:?}"));
    }
    if compressed {
        let high = decode(word ^ 0xa5c3_0000);
        if high != i {
            return fail(&format!("upper halfword changed {i:?} to {high:?}"));
        }
    } else if !ROWS
        .iter()
        .any(|r| r.op == i.op && word & r.mask == r.matches)
    {
        return fail(&format!("decoded to {:?}, whose row does not match", i.op));
    }
    Ok(())
}

/// Checks `count` words `gen(k)` for `k` in `0..count` on `threads` threads, and
/// fails with the first few bad words.
fn run(name: &str, count: u64, threads: u64, gen: impl Fn(u64) -> u32 + Sync) {
    let start = Instant::now();
    let done = AtomicU64::new(0);
    let errors: Vec<String> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..threads)
            .map(|t| {
                let (gen, done) = (&gen, &done);
                s.spawn(move || {
                    let mut errors = Vec::new();
                    let (lo, hi) = (count * t / threads, count * (t + 1) / threads);
                    for k in lo..hi {
                        if let Err(e) = check(gen(k)) {
                            if errors.len() < 10 {
                                errors.push(e);
                            }
                        }
                        if k % (1 << 24) == 0 && threads > 1 && count > 1 << 30 {
                            let n = done.fetch_add(1 << 24, Ordering::Relaxed) + (1 << 24);
                            eprintln!(
                                "{name}: ~{:.1}% after {:.0?}",
                                n as f64 * 100.0 / count as f64,
                                start.elapsed()
                            );
                        }
                    }
                    errors
                })
            })
            .collect();
        jobs.into_iter().flat_map(|j| j.join().unwrap()).collect()
    });
    eprintln!("{name}: {count} words in {:.1?}", start.elapsed());
    assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
}

fn threads() -> u64 {
    std::env::var("MVVM_DECODE_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u64))
        .max(1)
}

/// A stateless mixer (splitmix64), so each thread draws its own words without
/// sharing a generator.
fn mix(k: u64) -> u64 {
    let mut z = k.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn all_halfwords() {
    // With random upper halfwords: a compressed decode must ignore them.
    run("all 16-bit words", 1 << 16, 1, |k| {
        k as u32 | (mix(k) as u32) << 16
    });
}

#[test]
fn sampled_words() {
    const PER_ROW: u64 = 40_000;
    let rows = ROWS.len() as u64;
    // Half shaped after the table (each row's fixed bits, random free bits, often with
    // a zero register or immediate so that aliases and reserved cases come up), half
    // uniformly random 32-bit-length words.
    let shaped = rows * PER_ROW;
    run("sampled 32-bit words", 2 * shaped, threads(), move |k| {
        let r = mix(k ^ 0x5eed);
        if k < shaped {
            let row = &ROWS[(k / PER_ROW) as usize];
            let mut free = r as u32;
            match (r >> 32) % 4 {
                0 => free &= !(0x1f << 7),
                1 => free &= !(0x1f << 15),
                2 => free &= 0x000f_ffff,
                _ => {}
            }
            (free & !row.mask) | row.matches
        } else {
            r as u32 | 3
        }
    });
}

#[test]
fn every_row_decodes_to_itself() {
    // The all-zero free bits of each row: the decoder must find exactly that row.
    for row in ROWS {
        let i: Insn = decode(row.matches);
        assert_eq!(i.op, row.op, "{:#010x}", row.matches);
        check(row.matches).unwrap();
    }
}

#[test]
fn all_words_when_asked() {
    if std::env::var_os("MVVM_DECODE_EXHAUSTIVE").is_none() {
        eprintln!("all 2^32 words: skipped (set MVVM_DECODE_EXHAUSTIVE=1)");
        return;
    }
    run("all 2^32 words", 1 << 32, threads(), |k| k as u32);
}
