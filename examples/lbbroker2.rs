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
use workbook::Message;

// The envelope checks, dispatch, client and worker, shared with lbbroker3.
#[path = "lbbroker_parts/mod.rs"]
mod parts;
use parts::{client_task, dispatch, from_client, from_worker, report, worker_task};

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
// ANCHOR_END: main
