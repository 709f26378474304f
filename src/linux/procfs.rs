//! Generated `/proc` files: the process's own view (`/proc/self/...`, also reached
//! as `/proc/<pid>/` and `/proc/thread-self/`) and the machine's (`cpuinfo`,
//! `meminfo`). Contents are made when the file is opened, as Linux does.

use super::UID;
use crate::machine::Machine;
use crate::mem::{VmaKind, R, W, X};
use std::fmt::Write;

/// The contents of the `/proc` file at `guest`, if MVVM generates it.
pub fn open(m: &Machine, guest: &str) -> Option<Vec<u8>> {
    let path = own(m, guest)
        .map(|rest| format!("self/{rest}"))
        .or_else(|| guest.strip_prefix("/proc/").map(str::to_string))?;
    let nul_list = |items: &[Vec<u8>]| {
        items
            .iter()
            .flat_map(|a| a.iter().copied().chain([0]))
            .collect()
    };
    Some(match path.as_str() {
        "self/cmdline" => nul_list(&m.os.argv),
        "self/environ" => nul_list(&m.os.envp),
        "self/auxv" => {
            m.os.auxv
                .iter()
                .flat_map(|&(k, v)| k.to_le_bytes().into_iter().chain(v.to_le_bytes()))
                .collect()
        }
        "self/maps" => maps(m).into_bytes(),
        "self/stat" => stat(m).into_bytes(),
        "self/status" => status(m).into_bytes(),
        "self/comm" => [comm(m).as_bytes(), b"\n"].concat(),
        "cpuinfo" => format!(
            "processor\t: 0\nhart\t\t: 0\nisa\t\t: {}\nmmu\t\t: sv39\nuarch\t\t: mvvm\n\n",
            m.code.exts.isa_string()
        )
        .into_bytes(),
        "meminfo" => meminfo(m).into_bytes(),
        _ => return None,
    })
}

/// What follows `/proc/self/`, `/proc/thread-self/` or `/proc/<own pid>/` in
/// `guest` (without the slash when `guest` names that directory itself).
pub(super) fn own<'a>(m: &Machine, guest: &'a str) -> Option<&'a str> {
    let rest = guest.strip_prefix("/proc/")?;
    let (dir, rest) = rest.split_once('/').unwrap_or((rest, ""));
    let mine = dir == "self" || dir == "thread-self" || dir.parse() == Ok(m.os.pid);
    mine.then_some(rest)
}

fn comm(m: &Machine) -> String {
    let end =
        m.os.comm
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(m.os.comm.len());
    String::from_utf8_lossy(&m.os.comm[..end]).into_owned()
}

fn resident_kb(m: &Machine) -> u64 {
    m.mem.vmas().map(|(s, v)| v.end - s).sum::<u64>() / 1024
}

/// `/proc/self/maps` for the current address space.
pub fn maps(m: &Machine) -> String {
    let mut s = String::new();
    for (start, v) in m.mem.vmas() {
        let p = |bit, c| if v.prot & bit != 0 { c } else { '-' };
        let (off, name) = match &v.kind {
            VmaKind::File(path, off) => (*off, path.to_string()),
            VmaKind::Heap => (0, "[heap]".into()),
            VmaKind::Stack => (0, "[stack]".into()),
            VmaKind::Anon => (0, String::new()),
        };
        let pad = if name.is_empty() {
            ""
        } else {
            "                         "
        };
        let _ = writeln!(
            s,
            "{start:08x}-{:08x} {}{}{}p {off:08x} 00:00 0 {pad}{name}",
            v.end,
            p(R, 'r'),
            p(W, 'w'),
            p(X, 'x'),
        );
    }
    s
}

fn stat(m: &Machine) -> String {
    let threads = m.os.threads.queue.len() + 1;
    let vsize: u64 = m.mem.vmas().map(|(s, v)| v.end - s).sum();
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
    // cmajflt utime stime cutime cstime priority nice num_threads itrealvalue
    // starttime vsize rss rsslim startcode endcode startstack ...
    let (pid, ppid, pgid, sid) = (m.os.pid, m.os.ppid, m.os.pgid, m.os.sid);
    format!(
        "{pid} ({}) R {ppid} {pgid} {sid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 {threads} 0 0 {vsize} {} \
         18446744073709551615 0 0 {} 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
        comm(m),
        resident_kb(m) / 4,
        m.hart.x[2],
    )
}

fn status(m: &Machine) -> String {
    let threads = m.os.threads.queue.len() + 1;
    let (pid, ppid) = (m.os.pid, m.os.ppid);
    format!(
        "Name:\t{}\nUmask:\t{:04o}\nState:\tR (running)\nTgid:\t{pid}\nPid:\t{pid}\nPPid:\t{ppid}\n\
         Uid:\t{UID}\t{UID}\t{UID}\t{UID}\nGid:\t{UID}\t{UID}\t{UID}\t{UID}\nVmRSS:\t{} kB\n\
         Threads:\t{threads}\nSigBlk:\t{:016x}\n",
        comm(m),
        m.os.umask,
        resident_kb(m),
        m.os.signals.mask,
    )
}

fn meminfo(m: &Machine) -> String {
    let total = m.mem.size() / 1024;
    let free = total.saturating_sub(resident_kb(m));
    format!(
        "MemTotal:       {total:8} kB\nMemFree:        {free:8} kB\nMemAvailable:   {free:8} kB\n"
    )
}
