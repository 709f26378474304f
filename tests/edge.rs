//! The edge example (`examples/http-edge`, composed with MVVM by `make build` into
//! `dist/http-edge.composed.wasm`) served by `wasmtime serve` on loopback and asked
//! with real HTTP requests. The RISC-V service it embeds is built here too
//! (`examples/http-edge/service.c`), and qemu-riscv64 running it on the same input is
//! the oracle for the response bodies. Missing tools or artifacts are failures.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `wasmtime serve` on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP/1.1 response: status, lower-case headers, body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    fn start() -> Server {
        let composed = Path::new(ROOT).join("dist/http-edge.composed.wasm");
        assert!(
            composed.exists(),
            "{} is missing: run make build",
            composed.display()
        );
        // A port the kernel just handed out is free unless something races for it.
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(std::env::var("WASMTIME").unwrap_or("wasmtime".into()))
            .args(["serve", "-S", "cli", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .arg(&composed)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wasmtime (make setup installs it)");
        // wasmtime says where it serves once it listens.
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.contains("Serving HTTP") {
            line.clear();
            if err.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("wasmtime serve ended before serving: {line}");
            }
        }
        // Keep draining its log so that it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        Server { child, port }
    }

    /// Sends `method path` with `body` and reads the whole response.
    fn request(&self, method: &str, path: &str, body: &[u8]) -> Response {
        let mut conn = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        conn.set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
        conn.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before taking the whole body.
        let _ = conn.write_all(body);
        let mut r = BufReader::new(conn);
        let mut line = String::new();
        let status = loop {
            line.clear();
            r.read_line(&mut line).expect("a status line");
            let status: u16 = line
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .expect(&line);
            let mut headers = Vec::new();
            loop {
                line.clear();
                r.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (n, v) = l.split_once(':').expect("a header");
                headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
            }
            // Interim responses (100 Continue) come before the real one.
            if status >= 200 {
                break (status, headers);
            }
        };
        let (status, headers) = status;
        let mut body = Vec::new();
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            loop {
                line.clear();
                r.read_line(&mut line).unwrap();
                let size = usize::from_str_radix(line.trim(), 16).expect("a chunk size");
                let mut chunk = vec![0; size + 2];
                r.read_exact(&mut chunk).unwrap();
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            r.read_to_end(&mut body).unwrap();
        }
        Response {
            status,
            headers,
            body,
        }
    }
}

/// The service built for qemu-riscv64.
fn service() -> &'static PathBuf {
    static ELF: OnceLock<PathBuf> = OnceLock::new();
    ELF.get_or_init(|| {
        let source = "examples/http-edge/service.c";
        common::cross_gcc("edge", "service.elf", &["-O2", "-static"], source)
    })
}

/// What qemu-riscv64 makes of `service command < input`.
fn oracle(command: &str, input: &[u8]) -> std::process::Output {
    let mut child = Command::new("qemu-riscv64")
        .arg(service())
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qemu-riscv64 (make setup installs it)");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

/// Text with lines of varied words, for sorting and counting.
fn sample(lines: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut text = String::new();
    for _ in 0..lines {
        for _ in 0..1 + x % 7 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(&format!("w{:x} ", x % 100_000));
        }
        text.push('\n');
    }
    text.into_bytes()
}

/// One server for all the cases (a static one would outlive the test process).
#[test]
fn serves_requests() {
    let server = Server::start();
    responses_match_the_program_under_qemu(&server);
    a_failing_program_gives_its_stderr_and_status(&server);
    a_runaway_program_is_stopped_by_its_budget(&server);
    an_oversized_body_is_refused(&server);
}

fn responses_match_the_program_under_qemu(server: &Server) {
    let inputs: [&[u8]; 4] = [b"", b"hello, edge\nsecond line", b"\n\n \t", &sample(5000)];
    for command in ["upper", "wc", "sort"] {
        for input in inputs {
            let r = server.request("POST", &format!("/{command}?ignored=1"), input);
            let want = oracle(command, input);
            assert!(want.status.success());
            assert_eq!(
                r.status,
                200,
                "{command}: {}",
                String::from_utf8_lossy(&r.body)
            );
            assert_eq!(
                String::from_utf8_lossy(&r.body),
                String::from_utf8_lossy(&want.stdout),
                "{command} of {} bytes",
                input.len()
            );
            assert_eq!(r.header("x-mvvm-exit-status"), Some("0"));
            let n: u64 = r.header("x-mvvm-instructions").unwrap().parse().unwrap();
            assert!(n > 1000, "{n} instructions");
        }
    }
}

fn a_failing_program_gives_its_stderr_and_status(server: &Server) {
    let r = server.request("GET", "/frobnicate", b"");
    let want = oracle("frobnicate", b"");
    assert_eq!(r.status, 500);
    assert_eq!(r.header("x-mvvm-exit-status"), Some("1"));
    assert_eq!(want.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        String::from_utf8_lossy(&want.stderr)
    );
}

fn a_runaway_program_is_stopped_by_its_budget(server: &Server) {
    let started = Instant::now();
    let r = server.request("POST", "/spin", b"");
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("x-mvvm-instructions"), Some("500000000"));
    assert!(r.header("x-mvvm-exit-status").is_none());
    // The server is still there for the next request (a fresh instance each).
    assert_eq!(server.request("POST", "/upper", b"ok").body, b"OK");
    eprintln!("spin took {:?}", started.elapsed());
}

fn an_oversized_body_is_refused(server: &Server) {
    let r = server.request("POST", "/wc", &vec![b'x'; (16 << 20) + 1]);
    assert_eq!(r.status, 413);
    // Exactly the limit is taken.
    let r = server.request("POST", "/wc", &vec![b'x'; 16 << 20]);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"0 1 16777216\n");
}
