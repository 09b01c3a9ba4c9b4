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
use workbook::{Cluster, Malformed, Message};

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
    let cluster = workbook::Cluster::new(&args.me, &args.peers)?;
    let (me, peers) = (cluster.me(), cluster.peers());
    println!("I: preparing broker at {me}...");
    let mut rng = workbook::generator(args.seed);
    let context = zmq::Context::new();
    let mut ipc = workbook::IpcDir::new(&args.ipc_dir)?;

    // Bind the cloud frontend, where peers send us requests; our name is
    // our routing id to them.
    let cloudfe = Cluster::router(&context)?;
    cloudfe.set_identity(me.as_bytes())?;
    ipc.bind(&cloudfe, &format!("{me}-cloud.ipc"))?;

    // Connect the cloud backend to every peer's cloud frontend, watching
    // the handshakes so that we know when they are all there.
    let cloudbe = Cluster::router(&context)?;
    cloudbe.set_identity(me.as_bytes())?;
    let mut handshakes = workbook::PeerWatch::new(&context, &cloudbe)?;
    for peer in peers {
        println!("I: connecting to cloud frontend at '{peer}'");
        ipc.connect(&cloudbe, &format!("{peer}-cloud.ipc"))?;
    }

    // The local frontend and backend, for our clients and workers.
    let localfe = Cluster::router(&context)?;
    ipc.bind(&localfe, &format!("{me}-localfe.ipc"))?;
    let localbe = Cluster::router(&context)?;
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
                Err(malformed) => Cluster::report("localbe", malformed),
                Ok(worker) if msg.frames().eq([WORKER_READY]) => workers.push_back(worker),
                Ok(worker) => {
                    workers.push_back(worker);
                    cluster.route_reply(msg, "localbe", &cloudfe, &localfe);
                }
            }
        }
        // A peer's reply: take its name off, route the rest to our client.
        if ready[1] {
            let mut msg = Message::recv(&cloudbe)?;
            match msg.pop().map(|peer| cluster.peer(&peer)) {
                Some(Ok(_peer)) => cluster.route_reply(msg, "cloudbe", &cloudfe, &localfe),
                Some(Err(malformed)) => Cluster::report("cloudbe", malformed),
                None => Cluster::report("cloudbe", Malformed("an empty message".into())),
            }
        }
        // A peer's request, [peer, client, "", body]: to a local worker.
        if ready[2] && !workers.is_empty() {
            let mut msg = Message::recv(&cloudfe)?;
            let checked = msg
                .first()
                .map_or(Err(Malformed("an empty message".into())), |p| {
                    cluster.peer(p)
                })
                .and_then(|_| Cluster::request(&msg.frames().skip(1).collect::<Vec<_>>()));
            match checked {
                Err(malformed) => Cluster::report("cloudfe", malformed),
                Ok(()) => {
                    msg.wrap(workers.pop_front().expect("a worker"));
                    Cluster::send(msg, &localbe, "localbe");
                }
            }
        }
        // Our client's request, [client, "", body]: to a local worker if one
        // is free, or else to a peer chosen at random.
        if ready[3] && (!workers.is_empty() || !peers.is_empty()) {
            let mut msg = Message::recv(&localfe)?;
            if let Err(malformed) = Cluster::request(&msg.frames().collect::<Vec<_>>()) {
                Cluster::report("localfe", malformed);
            } else if let Some(worker) = workers.pop_front() {
                msg.wrap(worker);
                Cluster::send(msg, &localbe, "localbe");
            } else {
                let peer = &peers[workbook::randof(&mut rng, peers.len() as u32) as usize];
                msg.push(peer.as_bytes());
                Cluster::send(msg, &cloudbe, "cloudbe");
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
// ANCHOR_END: main

/// Poll for input, or not at all.
fn events_if(wanted: bool) -> zmq::PollEvents {
    if wanted {
        zmq::POLLIN
    } else {
        zmq::PollEvents::empty()
    }
}
