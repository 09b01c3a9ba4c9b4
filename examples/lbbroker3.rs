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
use workbook::{Malformed, Message, Reactor};

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
