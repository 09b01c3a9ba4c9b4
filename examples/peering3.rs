//! Broker peering, part 3: the full cluster. Each broker runs its clients
//! and workers (threads); it tells its peers how many workers it has free
//! whenever that changes (the state flow), gives its clients' tasks to its
//! own workers, or to a peer that said it has one free (the local and cloud
//! flows), and prints what its clients report on a monitor socket: each
//! task's id when its reply came, or that it was lost.
//!
//! Run it, three brokers, each in its own terminal (first name: this
//! broker, then its peers):
//!   cargo run --example peering3 -- DC1 DC2 DC3
//!   cargo run --example peering3 -- DC2 DC1 DC3
//!   cargo run --example peering3 -- DC3 DC1 DC2
//! Or all three at once:  cargo run -- run peering3
//! They run until Ctrl-C. The ipc:// files are in `--ipc-dir`.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::thread::JoinHandle;

use clap::Parser;
use workbook::{Cluster, Malformed, Message, Waited};

/// Broker peering, part 3: states, tasks and a monitor, all together.
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
    clients: u32,
    /// How many worker threads.
    #[arg(long, default_value_t = 5)]
    workers: u32,
    /// The guide's second, in milliseconds: a client pauses 0 to 4 of them
    /// before each burst, a worker takes 0 or 1 over a task.
    #[arg(long, default_value_t = 1000)]
    tick_ms: u64,
    /// How long a client waits for a reply before it reports its task lost.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Each client stops after this many bursts (by default, never).
    #[arg(long)]
    bursts: Option<u32>,
    /// Seed the bursts, pauses, work and choice of peer, to repeat a run.
    #[arg(long)]
    seed: Option<u64>,
}

/// What a worker sends when it is ready for its first task.
const WORKER_READY: &[u8] = b"\x01";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

/// What a client does: its bursts, and how long it waits for a reply.
#[derive(Clone, Copy)]
struct Pace {
    tick_ms: u64,
    timeout_ms: u64,
    bursts: Option<u32>,
}

// ANCHOR: client
/// A client: now and then a burst of tasks, one at a time, each waiting for
/// its reply for a while. What it has to say goes to the broker's monitor.
fn client_task(
    context: zmq::Context,
    name: String,
    [localfe, monitor_endpoint]: [String; 2],
    pace: Pace,
    seed: Option<u64>,
) -> anyhow::Result<()> {
    let mut rng = workbook::generator(seed);
    let client = context.socket(zmq::REQ)?;
    client.set_linger(0)?;
    workbook::connect(&client, &localfe)?;
    let monitor = context.socket(zmq::PUSH)?;
    monitor.set_linger(1000)?; // so that its last lines reach the broker
    workbook::connect(&monitor, &monitor_endpoint)?;

    let mut sent = 0;
    for _ in 0..pace.bursts.unwrap_or(u32::MAX) {
        if !workbook::sleep_ms(u64::from(workbook::randof(&mut rng, 5)) * pace.tick_ms) {
            return Ok(()); // Ctrl-C
        }
        for _ in 0..workbook::randof(&mut rng, 15) {
            // The client's name and a count: no two tasks share an id.
            sent += 1;
            let task_id = format!("{name}-{sent}");
            client.send(task_id.as_str(), 0)?;
            match workbook::wait_readable_for(&client, pace.timeout_ms)? {
                Waited::Interrupted => return Ok(()),
                Waited::TimedOut => {
                    monitor.send(format!("E: CLIENT EXIT - lost task {task_id}").as_str(), 0)?;
                    return Ok(());
                }
                Waited::Ready => {
                    // The worker answers with our task's id.
                    let reply = client.recv_bytes(0)?;
                    anyhow::ensure!(reply == task_id.as_bytes(), "{task_id}: {reply:?}");
                    monitor.send(task_id.as_str(), 0)?;
                }
            }
        }
    }
    monitor.send(format!("I: client {name} done, {sent} tasks").as_str(), 0)?;
    Ok(())
}
// ANCHOR_END: client

// ANCHOR: worker
/// A worker: tell the local backend it is ready, then send each task back
/// as it came, after 0 or 1 tick of work.
fn worker_task(
    context: zmq::Context,
    localbe: String,
    tick_ms: u64,
    seed: Option<u64>,
) -> anyhow::Result<()> {
    let mut rng = workbook::generator(seed);
    let worker = context.socket(zmq::REQ)?;
    worker.set_linger(0)?;
    workbook::connect(&worker, &localbe)?;
    worker.send(WORKER_READY, 0)?;
    while workbook::wait_readable(&worker)? {
        let msg = Message::recv(&worker)?;
        if !workbook::sleep_ms(u64::from(workbook::randof(&mut rng, 2)) * tick_ms) {
            break; // Ctrl-C
        }
        msg.send(&worker)?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let cluster = Cluster::new(&args.me, &args.peers)?;
    let (me, peers) = (cluster.me(), cluster.peers());
    println!("I: preparing broker at {me}...");
    let mut rng = workbook::generator(args.seed);
    let context = zmq::Context::new();
    let mut ipc = workbook::IpcDir::new(&args.ipc_dir)?;

    // The local frontend and backend, for our clients and workers.
    let localfe = Cluster::router(&context)?;
    ipc.bind(&localfe, &format!("{me}-localfe.ipc"))?;
    let localbe = Cluster::router(&context)?;
    ipc.bind(&localbe, &format!("{me}-localbe.ipc"))?;

    // The cloud frontend, where peers send us tasks, and the cloud backend,
    // connected to every peer's; our name is our routing id to them.
    let cloudfe = Cluster::router(&context)?;
    cloudfe.set_identity(me.as_bytes())?;
    ipc.bind(&cloudfe, &format!("{me}-cloud.ipc"))?;
    let cloudbe = Cluster::router(&context)?;
    cloudbe.set_identity(me.as_bytes())?;
    let mut cloud_peers = workbook::PeerWatch::new(&context, &cloudbe)?;
    for peer in peers {
        println!("I: connecting to cloud frontend at '{peer}'");
        ipc.connect(&cloudbe, &format!("{peer}-cloud.ipc"))?;
    }

    // The state backend, where we publish how many workers we have free,
    // and the state frontend, subscribed to every peer's.
    let statebe = context.socket(zmq::PUB)?;
    statebe.set_linger(0)?;
    let mut state_peers = workbook::PeerWatch::new(&context, &statebe)?;
    ipc.bind(&statebe, &format!("{me}-state.ipc"))?;
    let statefe = context.socket(zmq::SUB)?;
    statefe.set_linger(0)?;
    statefe.set_subscribe(b"")?;
    for peer in peers {
        println!("I: connecting to state backend at '{peer}'");
        ipc.connect(&statefe, &format!("{peer}-state.ipc"))?;
    }

    // The monitor, where our clients send what they have to say.
    let monitor = context.socket(zmq::PULL)?;
    monitor.set_linger(0)?;
    ipc.bind(&monitor, &format!("{me}-monitor.ipc"))?;

    // Start once we reach every peer's cloud frontend and every peer
    // listens to our state (the guide starts at once and hopes).
    if !cloud_peers.wait_for(peers.len())? || !state_peers.wait_for(peers.len())? {
        return Ok(()); // Ctrl-C
    }
    println!("I: every peer is there; starting the workers and clients");
    let mut tasks: Vec<JoinHandle<anyhow::Result<()>>> = Vec::new();
    for number in 1..=args.workers {
        let (context, endpoint) = (context.clone(), ipc.endpoint(&format!("{me}-localbe.ipc")));
        let seed = thread_seed(args.seed, me, number);
        tasks.push(std::thread::spawn(move || {
            worker_task(context, endpoint, args.tick_ms, seed)
        }));
    }
    let pace = Pace {
        tick_ms: args.tick_ms,
        timeout_ms: args.timeout_ms,
        bursts: args.bursts,
    };
    for number in 1..=args.clients {
        let context = context.clone();
        let name = format!("{me}-{number}");
        let endpoints = ["localfe", "monitor"].map(|e| ipc.endpoint(&format!("{me}-{e}.ipc")));
        let seed = thread_seed(args.seed, me, args.workers + number);
        tasks.push(std::thread::spawn(move || {
            client_task(context, name, endpoints, pace, seed)
        }));
    }

    // The routing ids of the workers ready for a task, longest waiting
    // first: our capacity. And each peer's, as it last told us.
    let mut workers: VecDeque<Vec<u8>> = VecDeque::new();
    let mut cloud_capacity: BTreeMap<String, u32> = BTreeMap::new();
    // Tasks given to our workers, to each peer, and taken from each peer.
    let mut to_local = 0;
    let none: BTreeMap<String, u32> = peers.iter().map(|peer| (peer.clone(), 0)).collect();
    let (mut to_peer, mut from_peer) = (none.clone(), none);
    loop {
        let previous = workers.len();
        // Always listen to the backends, the states and the monitor. Take
        // a peer's task only when a worker is free, and our client's when a
        // worker is free or a peer said it has one: the rest wait in the
        // frontends' queues.
        let cloud_free = cloud_capacity.values().any(|&free| free > 0);
        let mut items = [
            localbe.as_poll_item(zmq::POLLIN),
            cloudbe.as_poll_item(zmq::POLLIN),
            statefe.as_poll_item(zmq::POLLIN),
            monitor.as_poll_item(zmq::POLLIN),
            localfe.as_poll_item(events_if(!workers.is_empty() || cloud_free)),
            cloudfe.as_poll_item(events_if(!workers.is_empty())),
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
            match msg.pop().map(|peer| cluster.peer(&peer).map(|_| ())) {
                Some(Ok(())) => cluster.route_reply(msg, "cloudbe", &cloudfe, &localfe),
                Some(Err(malformed)) => Cluster::report("cloudbe", malformed),
                None => Cluster::report("cloudbe", Malformed("an empty message".into())),
            }
        }
        // A peer's state: how many workers it has free now.
        if ready[2] {
            match cluster.state(statefe.recv_multipart(0)?) {
                Ok((peer, free)) => {
                    if cloud_capacity.insert(peer.clone(), free).is_none() {
                        println!("I: first state from {peer}: {free} workers free");
                    }
                }
                Err(malformed) => Cluster::report("statefe", malformed),
            }
        }
        // A client's line on the monitor: print it.
        if ready[3] {
            match workbook::text(monitor.recv_multipart(0)?) {
                Ok(line) => println!("{line}"),
                Err(malformed) => Cluster::report("monitor", malformed),
            }
        }
        // Our client's task, [client, "", id]: to a local worker if one is
        // free, else to a peer that said it has one (chosen at random).
        let free_peers: Vec<String> = (cloud_capacity.iter())
            .filter(|&(_, &free)| free > 0)
            .map(|(peer, _)| peer.clone())
            .collect();
        if ready[4] && (!workers.is_empty() || !free_peers.is_empty()) {
            let mut msg = Message::recv(&localfe)?;
            if let Err(malformed) = Cluster::request(&msg.frames().collect::<Vec<_>>()) {
                Cluster::report("localfe", malformed);
            } else if let Some(worker) = workers.pop_front() {
                msg.wrap(worker);
                Cluster::send(msg, &localbe, "localbe");
                to_local += 1;
            } else {
                let n = workbook::randof(&mut rng, free_peers.len() as u32);
                let peer = &free_peers[n as usize];
                // One fewer there, until the peer tells us its new figure.
                *cloud_capacity.get_mut(peer).expect("a peer heard from") -= 1;
                msg.push(peer.as_bytes());
                Cluster::send(msg, &cloudbe, "cloudbe");
                *to_peer.get_mut(peer).expect("a peer") += 1;
            }
        }
        // A peer's task, [peer, client, "", id]: to a local worker.
        if ready[5] && !workers.is_empty() {
            let mut msg = Message::recv(&cloudfe)?;
            let checked = msg
                .first()
                .map_or(Err(Malformed("an empty message".into())), |p| {
                    cluster.peer(p)
                })
                .and_then(|peer| {
                    Cluster::request(&msg.frames().skip(1).collect::<Vec<_>>()).map(|()| peer)
                });
            match checked {
                Err(malformed) => Cluster::report("cloudfe", malformed),
                Ok(peer) => {
                    *from_peer.get_mut(peer).expect("a peer") += 1;
                    msg.wrap(workers.pop_front().expect("a worker"));
                    Cluster::send(msg, &localbe, "localbe");
                }
            }
        }
        // Our capacity changed: tell our peers, our name first.
        if workers.len() != previous {
            let free = workers.len().to_string();
            statebe.send_multipart([me.as_bytes(), free.as_bytes()], 0)?;
        }
    }
    // Ctrl-C: every thread sees it in its own wait, and ends.
    for task in tasks {
        task.join()
            .map_err(|_| anyhow::anyhow!("a client or worker thread panicked"))??;
    }
    println!("I: {to_local} tasks to our workers; to peers {to_peer:?}; from peers {from_peer:?}");
    Ok(())
}
// ANCHOR_END: main

/// Each thread's own seed, from `--seed`, the broker's name and the
/// thread's number, so that brokers given the same seed still differ (none
/// without `--seed`: then each thread is random).
fn thread_seed(seed: Option<u64>, me: &str, number: u32) -> Option<u64> {
    let named = me.bytes().fold(seed?, |h, b| {
        // Spread each byte over the whole word (names differ in one letter).
        (h ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    });
    Some(named.wrapping_add(u64::from(number)))
}

/// Poll for input, or not at all.
fn events_if(wanted: bool) -> zmq::PollEvents {
    if wanted {
        zmq::POLLIN
    } else {
        zmq::PollEvents::empty()
    }
}
