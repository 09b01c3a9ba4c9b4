//! Load-balancing broker with a higher-level API: lbbroker again, with
//! `workbook::Message` (the guide's CZMQ `zmsg`) in place of frame-by-frame
//! work. A message is received and sent whole; `unwrap` takes the envelope
//! (a routing id and its empty delimiter) off the front, `wrap` puts one
//! back. The workers answer by replacing the request's last frame.
//!
//! Run it:      cargo run --example lbbroker2
//! Or:          cargo run -- run lbbroker2
//! One process: the broker, ten client threads and three worker threads, over
//! ipc:// in a temporary directory of its own. It ends once every client has
//! its reply.
//!
//! As a broker for clients and workers of your own, until Ctrl-C:
//!   cargo run --example lbbroker2 -- --clients 0 --workers 0 \
//!     --frontend tcp://127.0.0.1:5672 --backend tcp://127.0.0.1:5673

use clap::Parser;
use std::collections::VecDeque;
use workbook::{Malformed, Message};

/// Load-balancing broker, written with whole messages (workbook::Message).
#[derive(Parser)]
struct Args {
    /// Where clients connect [default: ipc://DIR/frontend.ipc, DIR a new
    /// temporary directory, removed on exit].
    #[arg(long)]
    frontend: Option<String>,
    /// Where workers connect [default: ipc://DIR/backend.ipc].
    #[arg(long)]
    backend: Option<String>,
    /// Client threads to start, each sending one "HELLO". The broker ends
    /// after this many replies, as the guide's does, so clients of other
    /// processes go with 0: then it serves until Ctrl-C.
    #[arg(long, default_value_t = 10)]
    clients: usize,
    /// Worker threads to start (0: only workers of other processes).
    #[arg(long, default_value_t = 3)]
    workers: usize,
}

/// What a worker says when it is ready for work.
const WORKER_READY: &[u8] = b"READY";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    // The ipc endpoints' directory, removed after the sockets are closed.
    let dir = tempfile::tempdir()?;
    let ipc = |name: &str| format!("ipc://{}/{name}.ipc", dir.path().display());

    let context = zmq::Context::new();
    let frontend = context.socket(zmq::ROUTER)?;
    let backend = context.socket(zmq::ROUTER)?;
    frontend.set_router_mandatory(true)?;
    backend.set_router_mandatory(true)?;
    workbook::bind(&frontend, &args.frontend.unwrap_or_else(|| ipc("frontend")))?;
    workbook::bind(&backend, &args.backend.unwrap_or_else(|| ipc("backend")))?;

    let backend_at = workbook::bound_endpoint(&backend)?;
    let workers = (0..args.workers)
        .map(|_| {
            let (thread_context, endpoint) = (context.clone(), backend_at.clone());
            workbook::spawn_piped(&context, move |pipe| {
                worker_task(&thread_context, &endpoint, pipe)
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let frontend_at = workbook::bound_endpoint(&frontend)?;
    let clients: Vec<_> = (0..args.clients)
        .map(|_| {
            let (context, endpoint) = (context.clone(), frontend_at.clone());
            std::thread::spawn(move || client_task(&context, &endpoint))
        })
        .collect();

    // Queue of available workers.
    let mut ready: VecDeque<Vec<u8>> = VecDeque::new();
    let mut replies = 0;
    loop {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        // Poll the frontend only if we have available workers.
        let polled = if ready.is_empty() { 1 } else { 2 };
        if !workbook::poll(&mut items[..polled])? {
            break; // Ctrl-C
        }

        // Handle worker activity on the backend.
        if items[0].is_readable() {
            match from_worker(Message::recv(&backend)?) {
                Err(malformed) => malformed.report(),
                Ok((worker, reply)) => {
                    if !ready.contains(&worker) {
                        ready.push_back(worker);
                    }
                    // Forward the message to its client if it's not a READY.
                    if let Some(reply) = reply {
                        match reply.clone().send(&frontend) {
                            Ok(()) => replies += 1,
                            Err(zmq::Error::EHOSTUNREACH) => {
                                report(&reply, "a reply for a client that is not connected")
                            }
                            Err(error) => return Err(error.into()),
                        }
                    }
                    if replies == args.clients && args.clients > 0 {
                        break; // Every client has its reply.
                    }
                }
            }
        }

        // Get a client request, route it to the first available worker.
        if polled == 2 && items[1].is_readable() {
            match from_client(Message::recv(&frontend)?) {
                Err(malformed) => malformed.report(),
                Ok(request) => dispatch(&backend, &mut ready, request)?,
            }
        }
    }

    for client in clients {
        workbook::join(client)?;
    }
    let mut answered = Vec::new();
    for worker in workers {
        answered.push(worker.stop()?.to_string());
    }
    if !answered.is_empty() {
        println!("Requests per worker: {}", answered.join(", "));
    }
    Ok(())
}

/// The worker's routing id, and the reply for a client if this is not a
/// READY. `unwrap` checks each envelope, and puts it back with `wrap`.
fn from_worker(mut msg: Message) -> Result<(Vec<u8>, Option<Message>), Malformed> {
    let shown = workbook::one_line(msg.frames());
    let context = |error: Malformed| Malformed(format!("on the backend, {error}: {shown}"));
    let worker = msg.unwrap().map_err(context)?;
    if msg.len() == 1 && msg.first() == Some(WORKER_READY) {
        return Ok((worker, None));
    }
    // The rest is a reply: [client id, "", reply].
    let in_reply =
        |error: Malformed| context(Malformed(format!("in the reply's envelope, {error}")));
    let client = msg.unwrap().map_err(in_reply)?;
    if msg.len() != 1 {
        return Err(in_reply(Malformed(format!(
            "{} frames after it, not 1",
            msg.len()
        ))));
    }
    msg.wrap(client);
    Ok((worker, Some(msg)))
}

/// A request: [client id, "", request], checked.
fn from_client(mut msg: Message) -> Result<Message, Malformed> {
    let shown = workbook::one_line(msg.frames());
    let context = |error: Malformed| Malformed(format!("on the frontend, {error}: {shown}"));
    let client = msg.unwrap().map_err(context)?;
    if msg.len() != 1 {
        return Err(context(Malformed(format!(
            "{} frames after the envelope, not 1",
            msg.len()
        ))));
    }
    msg.wrap(client);
    Ok(msg)
}

/// Wrap the request in the envelope of the worker that has waited longest,
/// and send it. A worker that has gone away (EHOSTUNREACH) is forgotten,
/// and the next one tried.
fn dispatch(
    backend: &zmq::Socket,
    ready: &mut VecDeque<Vec<u8>>,
    request: Message,
) -> anyhow::Result<()> {
    while let Some(worker) = ready.pop_front() {
        let mut msg = request.clone();
        msg.wrap(worker);
        match msg.send(backend) {
            Ok(()) => return Ok(()),
            Err(zmq::Error::EHOSTUNREACH) => {
                report(&request, "a request for a worker that has gone")
            }
            Err(error) => return Err(error.into()),
        }
    }
    report(&request, "a request that no worker is left to take");
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: tasks
/// A client: one "HELLO", then it prints the reply.
fn client_task(context: &zmq::Context, frontend: &str) -> anyhow::Result<()> {
    let client = context.socket(zmq::REQ)?;
    client.set_linger(0)?;
    workbook::connect(&client, frontend)?;

    client.send("HELLO", 0)?;
    if workbook::wait_readable(&client)? {
        match workbook::text(client.recv_multipart(0)?) {
            Ok(reply) => println!("Client: {reply}"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}

/// A worker: READY, then each request comes back with its last frame made
/// "OK", the envelope kept.
fn worker_task(context: &zmq::Context, backend: &str, pipe: &zmq::Socket) -> anyhow::Result<usize> {
    let worker = context.socket(zmq::REQ)?;
    worker.set_linger(0)?;
    workbook::connect(&worker, backend)?;

    // Tell the broker we're ready for work.
    worker.send(WORKER_READY, 0)?;
    let mut answered = 0;
    // Process messages as they arrive, until the pipe says stop.
    loop {
        let mut items = [
            worker.as_poll_item(zmq::POLLIN),
            pipe.as_poll_item(zmq::POLLIN),
        ];
        if !workbook::poll(&mut items)? || items[1].is_readable() {
            return Ok(answered);
        }
        let mut msg = Message::recv(&worker)?;
        println!(
            "Worker: {}",
            String::from_utf8_lossy(msg.last().unwrap_or_default())
        );
        msg.set_last("OK");
        msg.send(&worker)?;
        answered += 1;
    }
}
// ANCHOR_END: tasks

/// Say on stderr that a message was dropped, and why.
fn report(msg: &Message, what: &str) {
    Malformed(format!(
        "{what} (EHOSTUNREACH): {}",
        workbook::one_line(msg.frames())
    ))
    .report();
}
