//! Example edge service: a `wasi:http` proxy component that runs a RISC-V program
//! (`service.c`, embedded at build time) once per request through `mvvm:vm/machine`.
//! The request body is the guest's standard input and the first path segment its
//! `argv[1]`; the guest's standard output is the response body. `make compose` plugs
//! MVVM into it with `wac plug`; `wasmtime serve -S cli` serves the result (see the
//! README's "At the edge").
//!
//! Responses: 200 with the guest's stdout when it exits with 0; 500 with its stderr
//! when it exits otherwise or is killed; 413 for a body over [`MAX_BODY`]; 503 when
//! the guest runs out of its [`BUDGET`] of instructions. Every response carries
//! `x-mvvm-instructions`, and `x-mvvm-exit-status` when the guest exited.

wit_bindgen::generate!({
    path: "../../wit",
    world: "mvvm:vm/http-edge",
    generate_all,
});

use mvvm::vm::machine::{Event, Machine, Options};
use std::io::{Read, Write};
use wasi::http::types::{
    Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

/// The program every request runs.
const SERVICE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/service.elf"));
/// Instructions a request may run (about a second of interpretation).
const BUDGET: u64 = 500_000_000;
/// Instructions per `run` call: the budget is checked between them.
const SLICE: u64 = 10_000_000;
/// Largest request body taken.
const MAX_BODY: usize = 16 << 20;
/// The guest's address window.
const MEMORY: u64 = 256 << 20;

struct Edge;

/// What the guest's run became.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, text: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: text.into().into_bytes(),
        }
    }
}

impl wasi::exports::http::incoming_handler::Guest for Edge {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let reply = match read_body(&request) {
            Some(body) => run(command(&request), body),
            None => Reply::text(413, format!("request body over {MAX_BODY} bytes\n")),
        };
        respond(out, reply);
    }
}

/// The first path segment (`/wc?x=1` -> `wc`).
fn command(request: &IncomingRequest) -> String {
    let path = request.path_with_query().unwrap_or_default();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The whole request body, or `None` when it is over [`MAX_BODY`].
fn read_body(request: &IncomingRequest) -> Option<Vec<u8>> {
    let Ok(body) = request.consume() else {
        return Some(Vec::new());
    };
    let mut bytes = Vec::new();
    if let Ok(mut stream) = body.stream() {
        // `take` one byte more than allowed to tell "exactly MAX_BODY" from "more".
        let limit = MAX_BODY as u64 + 1;
        // A broken stream ends the body where it broke.
        let _ = (&mut stream).take(limit).read_to_end(&mut bytes);
    }
    (bytes.len() <= MAX_BODY).then_some(bytes)
}

/// Runs the service on `stdin` with `argv[1] = command`.
fn run(command: String, stdin: Vec<u8>) -> Reply {
    let options = Options {
        args: vec!["service".into(), command],
        env: Vec::new(),
        sysroot: None,
        cpu: None,
        memory: Some(MEMORY),
        stdin: Some(stdin),
        intercept: Vec::new(),
    };
    let machine = match Machine::create(SERVICE, &options) {
        Ok(m) => m,
        Err(e) => return Reply::text(500, format!("cannot start the service: {e:?}\n")),
    };
    let event = loop {
        match machine.run(SLICE) {
            Event::BudgetSpent if machine.instructions() < BUDGET => continue,
            event => break event,
        }
    };
    let mut reply = match event {
        Event::Exited(0) => Reply {
            status: 200,
            headers: Vec::new(),
            body: machine.take_stdout(),
        },
        Event::Exited(_) => Reply {
            status: 500,
            headers: Vec::new(),
            body: machine.take_stderr(),
        },
        Event::Killed(sig) => Reply::text(500, format!("the service was killed by signal {sig}\n")),
        Event::BudgetSpent => Reply::text(
            503,
            format!("the service ran out of its {BUDGET} instructions\n"),
        ),
        Event::Breakpoint(_) | Event::Syscall(_) => Reply::text(500, "unexpected stop\n"),
    };
    if let Event::Exited(code) = event {
        reply.headers.push(("x-mvvm-exit-status", code.to_string()));
    }
    reply
        .headers
        .push(("x-mvvm-instructions", machine.instructions().to_string()));
    reply
}

fn respond(out: ResponseOutparam, reply: Reply) {
    let headers = Fields::new();
    let mut fields = vec![("content-type", "text/plain; charset=utf-8".to_string())];
    fields.extend(reply.headers);
    for (name, value) in fields {
        // Names and values here are always valid header text.
        let _ = headers.append(name, value.as_bytes());
    }
    let response = OutgoingResponse::new(headers);
    let _ = response.set_status_code(reply.status);
    let Ok(body) = response.body() else { return };
    ResponseOutparam::set(out, Ok(response));
    if let Ok(mut stream) = body.write() {
        // A client that went away leaves nobody to tell.
        let _ = stream
            .write_all(&reply.body)
            .and_then(|()| Write::flush(&mut stream));
    }
    let _ = OutgoingBody::finish(body, None);
}

wasi::http::proxy::export!(Edge);
