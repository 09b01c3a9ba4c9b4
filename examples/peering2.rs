//! Broker peering, part 2: the local and cloud flows. Each broker runs its
//! own clients and workers (threads), load-balances its clients' requests
//! over its workers, and when it has no worker free, sends a request to a
//! peer broker chosen at random, through its cloud backend; a peer's
//! requests arrive on its cloud frontend and go to a local worker. Clients
//! send "HELLO", workers answer "OK".
//!
//! Run it, three brokers, each in its own terminal (first name: this
//! broker, then its peers):
//!   cargo run --example peering2 -- DC1 DC2 DC3
//!   cargo run --example peering2 -- DC2 DC1 DC3
//!   cargo run --example peering2 -- DC3 DC1 DC2
//! Or all three at once:  cargo run -- run peering2
//! They run until Ctrl-C. The ipc:// files are in `--ipc-dir`.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::thread::JoinHandle;

use clap::Parser;
use workbook::{Malformed, Message};

/// Broker peering, part 2: requests to local workers, or to a peer's.
#[derive(Parser)]
struct Args {
    /// This broker's name (DC1).
    me: String,
    /// Its peers' names (DC2 DC3).
    peers: Vec<String>,
    /// The folder of the cluster's ipc:// files, shared by every broker.
    #[arg(long, default_value_os_t = workbook::IpcDir::default_path())]
    ipc_dir: PathBuf,
    /// How many client threads.
    #[arg(long, default_value_t = 10)]
    clients: usize,
    /// How many worker threads.
    #[arg(long, default_value_t = 3)]
    workers: usize,
    /// Seed the choice of peer, to repeat a run.
    #[arg(long)]
    seed: Option<u64>,
}

/// What a worker sends when it is ready for its first request.
const WORKER_READY: &[u8] = b"\x01";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: client
/// A client: "HELLO" to the local frontend, wait for the reply, once a second.
fn client_task(context: zmq::Context, localfe: String) -> anyhow::Result<()> {
    let client = context.socket(zmq::REQ)?;
    client.set_linger(0)?;
    workbook::connect(&client, &localfe)?;
    loop {
        client.send("HELLO", 0)?;
        if !workbook::wait_readable(&client)? {
            return Ok(()); // Ctrl-C
        }
        let reply = Message::recv(&client)?;
        println!(
            "Client: {}",
            String::from_utf8_lossy(reply.last().unwrap_or_default())
        );
        if !workbook::sleep_ms(1000) {
            return Ok(());
        }
    }
}
// ANCHOR_END: client

// ANCHOR: worker
/// A worker: tell the local backend it is ready, then answer "OK" to each
/// request, keeping its envelope. A request from a peer's client has the
/// peer's name in front: the worker says so.
fn worker_task(context: zmq::Context, localbe: String) -> anyhow::Result<()> {
    let worker = context.socket(zmq::REQ)?;
    worker.set_linger(0)?;
    workbook::connect(&worker, &localbe)?;
    worker.send(WORKER_READY, 0)?;
    while workbook::wait_readable(&worker)? {
        let mut msg = Message::recv(&worker)?;
        let body = String::from_utf8_lossy(msg.last().unwrap_or_default()).into_owned();
        match msg.len() {
            // [peer, client, "", body]
            4 => {
                let peer = String::from_utf8_lossy(msg.first().unwrap_or_default());
                println!("Worker: {body} (via {peer})");
            }
            _ => println!("Worker: {body}"),
        }
        msg.set_last("OK");
        msg.send(&worker)?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let me = &args.me;
    let peers = &args.peers;
    workbook::IpcDir::check_names(me, peers)?;
    println!("I: preparing broker at {me}...");
    let mut rng = workbook::generator(args.seed);
    let context = zmq::Context::new();
    let mut ipc = workbook::IpcDir::new(&args.ipc_dir)?;

    // Bind the cloud frontend, where peers send us requests; our name is
    // our routing id to them.
    let cloudfe = router(&context)?;
    cloudfe.set_identity(me.as_bytes())?;
    ipc.bind(&cloudfe, &format!("{me}-cloud.ipc"))?;

    // Connect the cloud backend to every peer's cloud frontend, watching
    // the handshakes so that we know when they are all there.
    let cloudbe = router(&context)?;
    cloudbe.set_identity(me.as_bytes())?;
    let mut handshakes = workbook::PeerWatch::new(&context, &cloudbe)?;
    for peer in peers {
        println!("I: connecting to cloud frontend at '{peer}'");
        ipc.connect(&cloudbe, &format!("{peer}-cloud.ipc"))?;
    }

    // The local frontend and backend, for our clients and workers.
    let localfe = router(&context)?;
    ipc.bind(&localfe, &format!("{me}-localfe.ipc"))?;
    let localbe = router(&context)?;
    ipc.bind(&localbe, &format!("{me}-localbe.ipc"))?;

    // Start once every peer is there (the guide asks you to press Enter).
    if !handshakes.wait_for(peers.len())? {
        return Ok(()); // Ctrl-C
    }
    println!("I: every peer is there; starting the workers and clients");
    let mut tasks: Vec<JoinHandle<anyhow::Result<()>>> = Vec::new();
    for _ in 0..args.workers {
        let (context, endpoint) = (context.clone(), ipc.endpoint(&format!("{me}-localbe.ipc")));
        tasks.push(std::thread::spawn(move || worker_task(context, endpoint)));
    }
    for _ in 0..args.clients {
        let (context, endpoint) = (context.clone(), ipc.endpoint(&format!("{me}-localfe.ipc")));
        tasks.push(std::thread::spawn(move || client_task(context, endpoint)));
    }

    // The routing ids of the workers ready for a request, longest waiting first.
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    loop {
        // Always listen to the backends (replies). Take a peer's request
        // only when a worker is free, and our clients' when a worker or a
        // peer can take it: the rest wait in the frontends' queues.
        let some_worker = !workers.is_empty();
        let mut items = [
            localbe.as_poll_item(zmq::POLLIN),
            cloudbe.as_poll_item(zmq::POLLIN),
            cloudfe.as_poll_item(events_if(some_worker)),
            localfe.as_poll_item(events_if(some_worker || !peers.is_empty())),
        ];
        if !workbook::poll(&mut items)? {
            break; // Ctrl-C
        }
        let ready: Vec<bool> = items.iter().map(|item| item.is_readable()).collect();

        // A worker's message: it is ready again; route its reply, if any.
        if ready[0] {
            let mut msg = Message::recv(&localbe)?;
            match msg.unwrap() {
                Err(malformed) => report("localbe", malformed),
                Ok(worker) if msg.frames().eq([WORKER_READY]) => workers.push_back(worker),
                Ok(worker) => {
                    workers.push_back(worker);
                    route_reply(msg, "localbe", peers, &cloudfe, &localfe);
                }
            }
        }
        // A peer's reply: take its name off, route the rest to our client.
        if ready[1] {
            let mut msg = Message::recv(&cloudbe)?;
            match msg.pop().map(|peer| known_peer(&peer, peers)) {
                Some(Ok(_peer)) => route_reply(msg, "cloudbe", peers, &cloudfe, &localfe),
                Some(Err(malformed)) => report("cloudbe", malformed),
                None => report("cloudbe", Malformed("an empty message".into())),
            }
        }
        // A peer's request, [peer, client, "", body]: to a local worker.
        if ready[2] && !workers.is_empty() {
            let mut msg = Message::recv(&cloudfe)?;
            let checked = msg
                .first()
                .map_or(Err(Malformed("an empty message".into())), |p| {
                    known_peer(p, peers)
                })
                .and_then(|_| request(&msg.frames().skip(1).collect::<Vec<_>>()));
            match checked {
                Err(malformed) => report("cloudfe", malformed),
                Ok(()) => {
                    msg.wrap(workers.pop_front().expect("a worker"));
                    send_or_report(msg, &localbe, "localbe");
                }
            }
        }
        // Our client's request, [client, "", body]: to a local worker if one
        // is free, or else to a peer chosen at random.
        if ready[3] && (!workers.is_empty() || !peers.is_empty()) {
            let mut msg = Message::recv(&localfe)?;
            if let Err(malformed) = request(&msg.frames().collect::<Vec<_>>()) {
                report("localfe", malformed);
            } else if let Some(worker) = workers.pop_front() {
                msg.wrap(worker);
                send_or_report(msg, &localbe, "localbe");
            } else {
                let peer = &peers[workbook::randof(&mut rng, peers.len() as u32) as usize];
                msg.push(peer.as_bytes());
                send_or_report(msg, &cloudbe, "cloudbe");
            }
        }
    }
    // Ctrl-C: every thread sees it in its own wait, and ends.
    for task in tasks {
        task.join()
            .map_err(|_| anyhow::anyhow!("a client or worker thread panicked"))??;
    }
    Ok(())
}

/// Route a reply: to a peer's cloud frontend if its first frame names one,
/// else to our client. `msg` is [peer, client, "", body] or [client, "", body].
fn route_reply(
    msg: Message,
    from: &str,
    peers: &[String],
    cloudfe: &zmq::Socket,
    localfe: &zmq::Socket,
) {
    let to_peer = msg
        .first()
        .is_some_and(|first| known_peer(first, peers).is_ok());
    let (socket, name) = if to_peer {
        (cloudfe, "cloudfe")
    } else {
        (localfe, "localfe")
    };
    let client: Vec<&[u8]> = msg.frames().skip(usize::from(to_peer)).collect();
    match request(&client) {
        Ok(()) => send_or_report(msg, socket, name),
        Err(malformed) => report(from, Malformed(format!("a reply: {malformed}"))),
    }
}
// ANCHOR_END: main

/// A ROUTER that says when it cannot route (EHOSTUNREACH), instead of
/// dropping the message silently, and does not linger at the end.
fn router(context: &zmq::Context) -> anyhow::Result<zmq::Socket> {
    let socket = context.socket(zmq::ROUTER)?;
    socket.set_router_mandatory(true)?;
    socket.set_linger(0)?;
    Ok(socket)
}

/// Poll for input, or not at all.
fn events_if(wanted: bool) -> zmq::PollEvents {
    if wanted {
        zmq::POLLIN
    } else {
        zmq::PollEvents::empty()
    }
}

/// A client's envelope and body: [client, "", body], none of them missing.
fn request(frames: &[&[u8]]) -> Result<(), Malformed> {
    match frames {
        [client, delimiter, body] if !client.is_empty() && delimiter.is_empty() => {
            if body.is_empty() {
                Err(Malformed("an empty body".into()))
            } else {
                Ok(())
            }
        }
        _ => Err(Malformed(format!(
            "not [client, \"\", body] but {} frames: {:?}",
            frames.len(),
            frames
                .iter()
                .map(|f| String::from_utf8_lossy(f))
                .collect::<Vec<_>>()
        ))),
    }
}

/// One of our peers' names.
fn known_peer<'a>(name: &[u8], peers: &'a [String]) -> Result<&'a String, Malformed> {
    peers
        .iter()
        .find(|peer| peer.as_bytes() == name)
        .ok_or_else(|| Malformed(format!("{:?} is not a peer", String::from_utf8_lossy(name))))
}

/// Send, and report a message to a peer that is not connected (ROUTER's
/// EHOSTUNREACH) rather than stop.
fn send_or_report(msg: Message, socket: &zmq::Socket, name: &str) {
    let to = String::from_utf8_lossy(msg.first().unwrap_or_default()).into_owned();
    match msg.send(socket) {
        Ok(()) => {}
        Err(zmq::Error::EHOSTUNREACH) => report(
            name,
            Malformed(format!("no peer {to:?} to send to; dropped")),
        ),
        Err(error) => report(name, Malformed(format!("cannot send to {to:?}: {error}"))),
    }
}

/// Report a message that was dropped, and the socket it came to or went to.
fn report(socket: &str, malformed: Malformed) {
    Malformed(format!("on {socket}: {malformed}")).report();
}
