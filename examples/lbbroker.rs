//! Load-balancing broker: clients' REQ sockets connect to a ROUTER (the
//! frontend), workers' REQ sockets to another ROUTER (the backend). A worker
//! says "READY", and the broker keeps a queue of the workers ready for work. It
//! reads the frontend only while that queue has a worker, and gives each
//! request to the worker that has waited longest; the worker's reply goes back
//! to the client it is for, and the worker joins the queue again.
//!
//! Run it:      cargo run --example lbbroker
//! Or:          cargo run -- run lbbroker
//! One process: the broker, ten client threads and three worker threads, over
//! ipc:// in a temporary directory of its own. It ends once every client has
//! its reply.
//!
//! As a broker for clients and workers of your own, until Ctrl-C:
//!   cargo run --example lbbroker -- --clients 0 --workers 0 \
//!     --frontend tcp://127.0.0.1:5672 --backend tcp://127.0.0.1:5673

use clap::Parser;
use std::collections::VecDeque;

/// Load-balancing broker: a ROUTER for REQ clients, a ROUTER for REQ workers,
/// a queue of the workers that are ready.
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

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    // The guide's ipc endpoints, in a directory of this run's own. Made
    // before the context, it is removed after the sockets are closed.
    let dir = tempfile::tempdir()?;
    let ipc = |name: &str| format!("ipc://{}/{name}.ipc", dir.path().display());

    // Prepare our context and sockets.
    let context = zmq::Context::new();
    let frontend = context.socket(zmq::ROUTER)?;
    let backend = context.socket(zmq::ROUTER)?;
    // A message for a routing id that is not connected fails (EHOSTUNREACH)
    // instead of vanishing: the broker can say so.
    frontend.set_router_mandatory(true)?;
    backend.set_router_mandatory(true)?;
    workbook::bind(&frontend, &args.frontend.unwrap_or_else(|| ipc("frontend")))?;
    workbook::bind(&backend, &args.backend.unwrap_or_else(|| ipc("backend")))?;

    // The threads stand for processes, each with a socket of its own. Each
    // worker has a pipe (a PAIR socket) on which the broker tells it to
    // stop, as CZMQ's actors do; each client ends with its reply.
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

    // The workers ready for a request, the one that has waited longest first.
    let mut ready: VecDeque<Vec<u8>> = VecDeque::new();
    let mut replies = 0;
    loop {
        let mut items = [
            backend.as_poll_item(zmq::POLLIN),
            frontend.as_poll_item(zmq::POLLIN),
        ];
        // Poll the frontend only while a worker is ready: until then the
        // requests wait in ZeroMQ's queues, not in ours.
        let polled = if ready.is_empty() { 1 } else { 2 };
        if !workbook::poll(&mut items[..polled])? {
            break; // Ctrl-C
        }

        // A worker is ready: it says "READY", or it brings a client's reply.
        if items[0].is_readable() {
            match from_worker(backend.recv_multipart(0)?) {
                Err(malformed) => malformed.report(),
                Ok((worker, reply)) => {
                    if !ready.contains(&worker) {
                        ready.push_back(worker);
                    }
                    // The reply is [client id, "", reply]: the frontend
                    // takes the id off and sends the rest to that client.
                    if let Some(reply) = reply {
                        match frontend.send_multipart(&reply, 0) {
                            Ok(()) => replies += 1,
                            Err(zmq::Error::EHOSTUNREACH) => report(
                                &reply,
                                "a reply for a client that is not connected (EHOSTUNREACH)",
                            ),
                            Err(error) => return Err(error.into()),
                        }
                    }
                    if replies == args.clients && args.clients > 0 {
                        break; // Every client has its reply.
                    }
                }
            }
        }

        // A client's request [client id, "", request] goes to the worker
        // that has waited longest, behind that worker's id and a delimiter.
        if polled == 2 && items[1].is_readable() {
            match from_client(frontend.recv_multipart(0)?) {
                Err(malformed) => malformed.report(),
                Ok(request) => dispatch(&backend, &mut ready, request)?,
            }
        }
    }

    // Every client has its reply (or Ctrl-C was pressed): wait for them,
    // then stop the workers and wait for them.
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

/// Frames, as `recv_multipart` gives them.
type Frames = Vec<Vec<u8>>;

/// [worker id, "", "READY"], or [worker id, "", client id, "", reply]: the
/// worker, and the reply with its client's envelope.
fn from_worker(frames: Frames) -> Result<(Vec<u8>, Option<Frames>), workbook::Malformed> {
    match frames.as_slice() {
        [_, empty, ready] if empty.is_empty() && ready == b"READY" => Ok((frames[0].clone(), None)),
        [_, empty, client, delimiter, _]
            if empty.is_empty() && !client.is_empty() && delimiter.is_empty() =>
        {
            Ok((frames[0].clone(), Some(frames[2..].to_vec())))
        }
        _ => Err(malformed(
            "backend",
            &frames,
            "[worker id, \"\", READY] or [worker id, \"\", client id, \"\", reply]",
        )),
    }
}

/// [client id, "", request], checked.
fn from_client(frames: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, workbook::Malformed> {
    match frames.as_slice() {
        [_, empty, _] if empty.is_empty() => Ok(frames),
        _ => Err(malformed("frontend", &frames, "[client id, \"\", request]")),
    }
}

/// Send the request to the worker that has waited longest. One that has
/// gone away (EHOSTUNREACH) is forgotten, and the next one tried.
fn dispatch(
    backend: &zmq::Socket,
    ready: &mut VecDeque<Vec<u8>>,
    request: Vec<Vec<u8>>,
) -> anyhow::Result<()> {
    while let Some(worker) = ready.pop_front() {
        let mut message = vec![worker, Vec::new()];
        message.extend(request.iter().cloned());
        match backend.send_multipart(message, 0) {
            Ok(()) => return Ok(()),
            Err(zmq::Error::EHOSTUNREACH) => report(
                &request,
                "a request for a worker that has gone (EHOSTUNREACH)",
            ),
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
    client.set_linger(0)?; // Stopped by Ctrl-C, it drops what is unsent.
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

/// A worker: "READY", then it answers "OK" to each request, keeping the
/// envelope, until it is told to stop. It returns how many it answered.
fn worker_task(context: &zmq::Context, backend: &str, pipe: &zmq::Socket) -> anyhow::Result<usize> {
    let worker = context.socket(zmq::REQ)?;
    // Stopped before its "READY" has gone out, it drops it, rather than
    // hold the program's exit until it can send it.
    worker.set_linger(0)?;
    workbook::connect(&worker, backend)?;

    // Tell the broker we're ready for work.
    worker.send("READY", 0)?;
    let mut answered = 0;
    while wait(&worker, pipe)? {
        // [client id, "", request]: the envelope goes back with the reply.
        let mut frames = worker.recv_multipart(0)?;
        let request = frames.pop().unwrap_or_default();
        println!("Worker: {}", String::from_utf8_lossy(&request));
        frames.push(b"OK".to_vec());
        worker.send_multipart(frames, 0)?;
        answered += 1;
    }
    Ok(answered)
}

/// Wait until `socket` has a message: true. False once the broker says
/// stop on the pipe, or on Ctrl-C.
fn wait(socket: &zmq::Socket, pipe: &zmq::Socket) -> zmq::Result<bool> {
    let mut items = [
        socket.as_poll_item(zmq::POLLIN),
        pipe.as_poll_item(zmq::POLLIN),
    ];
    Ok(workbook::poll(&mut items)? && !items[1].is_readable())
}
// ANCHOR_END: tasks

/// A message that is not what the broker expects on `socket`.
fn malformed(socket: &str, frames: &[Vec<u8>], expected: &str) -> workbook::Malformed {
    workbook::Malformed(format!(
        "on the {socket}, {}, expected {expected}",
        workbook::one_line(frames)
    ))
}

/// Say on stderr that a message was dropped, and why.
fn report(frames: &[Vec<u8>], what: &str) {
    workbook::Malformed(format!("{what}: {}", workbook::one_line(frames))).report();
}
