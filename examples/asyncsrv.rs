//! Asynchronous client/server: three DEALER clients each send a request a
//! second and print whatever replies come, whenever they come; a server's
//! ROUTER frontend passes the requests to five DEALER workers, each of which
//! answers a request zero to four times, after random pauses. One process,
//! every part a thread; it ends by itself after five seconds.
//!
//! Run it:      cargo run --example asyncsrv
//! Or:          cargo run -- run asyncsrv
//! Ctrl-C ends it at once. `--clients 0 --seconds 0` is a server alone, until
//! Ctrl-C, for clients of your own; `--no-server` runs the clients and workers
//! against a server elsewhere (`--connect`, `--backend`).

use clap::Parser;
use std::time::{Duration, Instant};

/// Asynchronous client/server: DEALER clients, a ROUTER server, DEALER workers.
#[derive(Parser)]
struct Args {
    /// Where the server binds for clients.
    #[arg(long, default_value = "tcp://127.0.0.1:5570")]
    bind: String,
    /// Where the clients connect.
    #[arg(long, default_value = "tcp://localhost:5570")]
    connect: String,
    /// Where the server binds for its workers, and they connect.
    #[arg(long, default_value = "inproc://backend")]
    backend: String,
    /// How many clients (0: none, a server for clients of your own).
    #[arg(long, default_value_t = 3)]
    clients: u16,
    /// How many workers.
    #[arg(long, default_value_t = 5)]
    workers: u16,
    /// Start no server: the clients and workers use one elsewhere.
    #[arg(long)]
    no_server: bool,
    /// How long to run (0: until Ctrl-C).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Seed for the workers' replies (worker n uses seed + n).
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    // One message on this socket tells every task to stop.
    let stop = context.socket(zmq::PUB)?;
    workbook::bind(&stop, "inproc://stop")?;

    // The server: a ROUTER for clients, a DEALER for its workers.
    let server = if args.no_server {
        None
    } else {
        let frontend = context.socket(zmq::ROUTER)?;
        frontend.set_router_mandatory(true)?; // A reply for a gone client fails, and says so.
        frontend.set_linger(0)?;
        workbook::bind(&frontend, &args.bind)?;
        let backend = context.socket(zmq::DEALER)?;
        workbook::bind(&backend, &args.backend)?;
        Some((frontend, backend))
    };

    // Launch pool of worker threads, precise number is not critical, and
    // the clients.
    let mut tasks = Vec::new();
    for worker_nbr in 0..args.workers {
        tasks.push(start_worker(&context, &args, worker_nbr)?);
    }
    for client_nbr in 0..args.clients {
        tasks.push(start_client(&context, &args, client_nbr)?);
    }

    // Serve for five seconds (or until Ctrl-C), then tell every task to
    // stop, and wait for each to end.
    let run_for = match args.seconds {
        0 => u64::MAX, // For ever.
        seconds => seconds * 1000,
    };
    match &server {
        Some((frontend, backend)) => proxy(frontend, backend, run_for)?,
        None => {
            workbook::poll_for(&mut [], run_for)?; // No server here: only wait.
        }
    }
    stop.send("STOP", 0)?;
    tasks.into_iter().try_for_each(workbook::join)
}

/// Connect backend to frontend, requests one way and replies the other,
/// for `ms` milliseconds; each message is checked on its way.
fn proxy(frontend: &zmq::Socket, backend: &zmq::Socket, ms: u64) -> anyhow::Result<()> {
    let deadline = Instant::now().checked_add(Duration::from_millis(ms));
    loop {
        let left = deadline.map_or(u64::MAX, |deadline| {
            deadline
                .saturating_duration_since(Instant::now())
                .as_millis() as u64
        });
        let mut items = [
            frontend.as_poll_item(zmq::POLLIN),
            backend.as_poll_item(zmq::POLLIN),
        ];
        if workbook::poll_for(&mut items, left)? != workbook::Waited::Ready {
            return Ok(()); // Time is up, or Ctrl-C.
        }
        if items[0].is_readable() {
            // From a client: the routing id the ROUTER put in front, then one frame.
            match request(frontend.recv_multipart(0)?) {
                Ok(request) => pass_on(backend, request, "a request from client"),
                Err(malformed) => malformed.report(),
            }
        }
        if items[1].is_readable() {
            // From a worker: the client's routing id, then one reply.
            match reply(backend.recv_multipart(0)?) {
                Ok(reply) => pass_on(frontend, reply, "a reply for client"),
                Err(malformed) => malformed.report(),
            }
        }
    }
}
// ANCHOR_END: main

// ANCHOR: client
/// A client: sends a request once per second, and prints the replies as
/// they come, until told to stop.
fn client_task(client: &zmq::Socket, identity: &str, stop: &zmq::Socket) -> anyhow::Result<()> {
    let (mut request_nbr, mut replies) = (0, 0);
    'run: loop {
        // Tick once per second, pulling in arriving messages: a hundred
        // polls of 10 ms each.
        for _centitick in 0..100 {
            let mut items = [
                stop.as_poll_item(zmq::POLLIN),
                client.as_poll_item(zmq::POLLIN),
            ];
            match workbook::poll_for(&mut items, 10)? {
                workbook::Waited::Interrupted => break 'run,
                workbook::Waited::TimedOut => continue,
                workbook::Waited::Ready if items[0].is_readable() => break 'run,
                workbook::Waited::Ready => {}
            }
            match workbook::text(client.recv_multipart(0)?) {
                Ok(reply) => {
                    println!("{identity} [{:03}] {reply}", reply.len());
                    replies += 1;
                }
                Err(malformed) => malformed.report(),
            }
        }
        request_nbr += 1;
        client.send(format!("request #{request_nbr}").as_bytes(), 0)?;
    }
    println!("{identity}: {request_nbr} requests sent, {replies} replies received");
    Ok(())
}

/// Start a client thread, its socket connected first.
fn start_client(context: &zmq::Context, args: &Args, client_nbr: u16) -> anyhow::Result<Task> {
    let client = context.socket(zmq::DEALER)?;
    // A routing id of its own, printable to make tracing easier, set before
    // the connect: the process id and the client's number, unique.
    let identity = format!("{:06X}-{client_nbr:04X}", std::process::id());
    client.set_identity(identity.as_bytes())?;
    client.set_linger(0)?; // A request for a server that is gone is dropped.
    workbook::connect(&client, &args.connect)?;
    let stop = stop_listener(context)?;
    Ok(std::thread::spawn(move || {
        client_task(&client, &identity, &stop)
    }))
}
// ANCHOR_END: client

// ANCHOR: worker
/// A worker: one request at a time, answered zero to four times, with a
/// random pause before each reply, until told to stop.
fn server_worker(
    worker: &zmq::Socket,
    stop: &zmq::Socket,
    seed: Option<u64>,
) -> anyhow::Result<()> {
    let mut rng = workbook::generator(seed);
    loop {
        let mut items = [
            stop.as_poll_item(zmq::POLLIN),
            worker.as_poll_item(zmq::POLLIN),
        ];
        if !workbook::poll(&mut items)? || items[0].is_readable() {
            return Ok(()); // Ctrl-C, or told to stop.
        }
        // The DEALER socket gives us the reply envelope and message.
        let [identity, content] = match <[Vec<u8>; 2]>::try_from(worker.recv_multipart(0)?) {
            Ok(frames) => frames,
            Err(frames) => {
                let why = format!(
                    "{} frames, expected a routing id and a request",
                    frames.len()
                );
                workbook::Malformed(why).report();
                continue;
            }
        };

        // Send 0..4 replies back.
        let replies = workbook::randof(&mut rng, 5);
        for _reply in 0..replies {
            // Sleep for some fraction of a second (a stop cuts it short).
            let pause = u64::from(workbook::randof(&mut rng, 1000)) + 1;
            if workbook::wait_readable_for(stop, pause)? != workbook::Waited::TimedOut {
                return Ok(());
            }
            worker.send_multipart([&identity, &content], 0)?;
        }
    }
}

/// Start a worker thread, its socket connected to the backend first: no
/// request comes before a worker is there to take it.
fn start_worker(context: &zmq::Context, args: &Args, worker_nbr: u16) -> anyhow::Result<Task> {
    let worker = context.socket(zmq::DEALER)?;
    worker.set_linger(0)?;
    workbook::connect(&worker, &args.backend)?;
    let stop = stop_listener(context)?;
    let seed = args.seed.map(|seed| seed + u64::from(worker_nbr));
    Ok(std::thread::spawn(move || {
        server_worker(&worker, &stop, seed)
    }))
}
// ANCHOR_END: worker

/// A task's thread.
type Task = std::thread::JoinHandle<anyhow::Result<()>>;

/// A SUB socket that hears the main thread's stop signal. Each task's is
/// made before the task starts, so the signal cannot come too early for it.
fn stop_listener(context: &zmq::Context) -> anyhow::Result<zmq::Socket> {
    let listener = context.socket(zmq::SUB)?;
    listener.set_subscribe(b"")?;
    workbook::connect(&listener, "inproc://stop")?;
    Ok(listener)
}

/// A client's request as the frontend receives it: the routing id the
/// ROUTER put in front, then the request, one frame that is not empty.
fn request(frames: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, workbook::Malformed> {
    match frames.as_slice() {
        [_, request] if !request.is_empty() => Ok(frames),
        [id, _] => Err(workbook::Malformed(format!(
            "an empty request from client {}",
            id.escape_ascii()
        ))),
        [id, ..] => Err(workbook::Malformed(format!(
            "{} frames after the routing id of client {}, expected 1 (the request)",
            frames.len() - 1,
            id.escape_ascii()
        ))),
        [] => unreachable!("a ROUTER never delivers an empty message"),
    }
}

/// A worker's reply as the backend receives it: a client's routing id, then
/// the reply, one frame.
fn reply(frames: Vec<Vec<u8>>) -> Result<Vec<Vec<u8>>, workbook::Malformed> {
    match frames.as_slice() {
        [id, _] if !id.is_empty() => Ok(frames),
        _ => Err(workbook::Malformed(format!(
            "{} frames from a worker, expected a client's routing id and a reply",
            frames.len()
        ))),
    }
}

/// Send a message on without waiting: if it cannot go (no worker connected,
/// a client that is gone), say so and drop it, and keep serving.
fn pass_on(socket: &zmq::Socket, frames: Vec<Vec<u8>>, what: &str) {
    let id = frames[0].clone();
    if let Err(error) = socket.send_multipart(frames, zmq::DONTWAIT) {
        let why = match error {
            zmq::Error::EHOSTUNREACH => "no such client is connected".to_string(),
            zmq::Error::EAGAIN => "no peer can take it now".to_string(),
            error => error.to_string(),
        };
        let id = id.escape_ascii();
        eprintln!("asyncsrv: dropping {what} {id}: {why}");
    }
}
