//! A Rust program for MVVM's userland tests (tests/rust.rs): threads with channels
//! and a mutex, scoped threads, the file system (create, write, read back, list,
//! rename, remove), environment and arguments, a panic caught in a thread, and
//! std::process::Command running itself as a child. The output is deterministic;
//! tests/rust/expected.txt is what Linux prints.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::{mpsc, Arc, Mutex};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        let input = {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).unwrap();
            s
        };
        println!("child got {:?} and {:?}", &args[2..], input.trim());
        std::process::exit(7);
    }

    // Threads: a channel and a shared counter.
    let (tx, rx) = mpsc::channel();
    let total = Arc::new(Mutex::new(0u64));
    let workers: Vec<_> = (1..=4u64)
        .map(|n| {
            let (tx, total) = (tx.clone(), Arc::clone(&total));
            std::thread::spawn(move || {
                let sum: u64 = (1..=n * 1000).sum();
                *total.lock().unwrap() += sum;
                tx.send((n, sum)).unwrap();
            })
        })
        .collect();
    drop(tx);
    for w in workers {
        w.join().unwrap();
    }
    let results: BTreeMap<u64, u64> = rx.iter().collect();
    println!("sums {:?} total {}", results, total.lock().unwrap());

    // Scoped threads over a slice.
    let data: Vec<u32> = (0..1000).collect();
    let halves: Vec<u32> = std::thread::scope(|s| {
        let (a, b) = data.split_at(500);
        let ha = s.spawn(|| a.iter().sum::<u32>());
        let hb = s.spawn(|| b.iter().sum::<u32>());
        vec![ha.join().unwrap(), hb.join().unwrap()]
    });
    println!("scoped {:?}", halves);

    // A panic in a thread is an Err from join.
    let caught = std::thread::spawn(|| panic!("on purpose")).join().is_err();
    println!("panic caught {caught}");

    // Files.
    let dir = std::env::temp_dir().join(format!("mvvm-rust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["b.txt", "a.txt"] {
        let mut f = std::fs::File::create(dir.join(name)).unwrap();
        writeln!(f, "hello from {name}").unwrap();
    }
    std::fs::rename(dir.join("b.txt"), dir.join("c.txt")).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let text = std::fs::read_to_string(dir.join("c.txt")).unwrap();
    println!("files {:?} c.txt {:?}", names, text.trim());
    std::fs::remove_dir_all(&dir).unwrap();
    println!("removed {}", !dir.exists());

    // A child process: itself, with arguments, stdin and an exit status.
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["child", "x", "y z"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped input\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    print!("{}", String::from_utf8_lossy(&out.stdout));
    println!("child status {:?}", out.status.code());
}
