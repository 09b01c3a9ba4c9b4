//! Load-balancing broker in reactor style: lbbroker2 again, turned inside
//! out. A reactor (`workbook::Reactor`, the guide's CZMQ `zloop`) polls the
//! sockets and calls a handler when one is readable: the backend's handler
//! always, the frontend's only while a worker is ready, registered when the
//! first worker arrives and ended when the last one is taken.
//!
//! Run it:      cargo run --example lbbroker3
//! Or:          cargo run -- run lbbroker3
//! One process: the broker, ten client threads and three worker threads, over
//! ipc:// in a temporary directory of its own. It ends once every client has
//! its reply.
//!
//! As a broker for clients and workers of your own, until Ctrl-C:
//!   cargo run --example lbbroker3 -- --clients 0 --workers 0 \
//!     --frontend tcp://127.0.0.1:5672 --backend tcp://127.0.0.1:5673

use clap::Parser;
use std::collections::VecDeque;
use workbook::{Message, Reactor};

// The envelope checks, dispatch, client and worker: lbbroker2's.
#[path = "lbbroker_parts/mod.rs"]
mod parts;
use parts::{client_task, dispatch, from_client, from_worker, report, worker_task};

/// Load-balancing broker in reactor style (workbook::Reactor).
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
    /// after this many replies, so clients of other processes go with 0:
    /// then it serves until Ctrl-C.
    #[arg(long, default_value_t = 10)]
    clients: usize,
    /// Worker threads to start (0: only workers of other processes).
    #[arg(long, default_value_t = 3)]
    workers: usize,
}

/// What a worker says when it is ready for work: one byte, 1.
const WORKER_READY: &[u8] = b"\x01";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
/// Our load balancer's state, passed to the reactor's handlers.
struct LbBroker {
    frontend: zmq::Socket,      // Listen to clients
    backend: zmq::Socket,       // Listen to workers
    workers: VecDeque<Vec<u8>>, // Ready workers, the longest waiting first
    replies: usize,
    clients: usize, // Stop after this many replies (0: never)
}

/// Handle a request from a client, on the frontend.
fn handle_frontend(reactor: &mut Reactor<LbBroker>, lb: &mut LbBroker) -> anyhow::Result<()> {
    match from_client(Message::recv(&lb.frontend)?) {
        Err(malformed) => malformed.report(),
        Ok(request) => dispatch(&lb.backend, &mut lb.workers, request)?,
    }
    // Stop reading the frontend if that took the last ready worker.
    if lb.workers.is_empty() {
        reactor.end_reader(&lb.frontend);
    }
    Ok(())
}

/// Handle a message from a worker, on the backend.
fn handle_backend(reactor: &mut Reactor<LbBroker>, lb: &mut LbBroker) -> anyhow::Result<()> {
    let (worker, reply) = match from_worker(Message::recv(&lb.backend)?) {
        Err(malformed) => {
            malformed.report();
            return Ok(());
        }
        Ok(message) => message,
    };
    if !lb.workers.contains(&worker) {
        lb.workers.push_back(worker);
    }
    // Read the frontend again once there is a ready worker.
    if lb.workers.len() == 1 {
        reactor.reader(|lb: &LbBroker| &lb.frontend, handle_frontend);
    }
    // Forward the message to its client if it's not a READY.
    if let Some(reply) = reply {
        match reply.clone().send(&lb.frontend) {
            Ok(()) => lb.replies += 1,
            Err(zmq::Error::EHOSTUNREACH) => {
                report(&reply, "a reply for a client that is not connected")
            }
            Err(error) => return Err(error.into()),
        }
        if lb.replies == lb.clients && lb.clients > 0 {
            reactor.stop(); // Every client has its reply.
        }
    }
    Ok(())
}

fn run(args: Args) -> anyhow::Result<()> {
    // The ipc endpoints' directory, removed after the sockets are closed.
    let dir = tempfile::tempdir()?;
    let ipc = |name: &str| format!("ipc://{}/{name}.ipc", dir.path().display());

    let context = zmq::Context::new();
    let mut lb = LbBroker {
        frontend: context.socket(zmq::ROUTER)?,
        backend: context.socket(zmq::ROUTER)?,
        workers: VecDeque::new(),
        replies: 0,
        clients: args.clients,
    };
    lb.frontend.set_router_mandatory(true)?;
    lb.backend.set_router_mandatory(true)?;
    workbook::bind(
        &lb.frontend,
        &args.frontend.unwrap_or_else(|| ipc("frontend")),
    )?;
    workbook::bind(&lb.backend, &args.backend.unwrap_or_else(|| ipc("backend")))?;

    let backend_at = workbook::bound_endpoint(&lb.backend)?;
    let workers = (0..args.workers)
        .map(|_| {
            let (thread_context, endpoint) = (context.clone(), backend_at.clone());
            workbook::spawn_piped(&context, move |pipe| {
                worker_task(&thread_context, &endpoint, pipe)
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let frontend_at = workbook::bound_endpoint(&lb.frontend)?;
    let clients: Vec<_> = (0..args.clients)
        .map(|_| {
            let (context, endpoint) = (context.clone(), frontend_at.clone());
            std::thread::spawn(move || client_task(&context, &endpoint))
        })
        .collect();

    // Prepare the reactor and fire it up: until a handler stops it, or
    // Ctrl-C.
    let mut reactor = Reactor::new();
    reactor.reader(|lb: &LbBroker| &lb.backend, handle_backend);
    reactor.run(&mut lb)?;

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
