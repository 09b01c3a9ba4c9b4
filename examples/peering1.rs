//! Broker peering, part 1: the state flow. Each broker of a cluster of
//! clusters publishes how many of its workers are free, once a second, on
//! its state backend (PUB), and prints what its peers publish, read on its
//! state frontend (SUB, connected to every peer). The figure is random here:
//! the brokers have no workers yet.
//!
//! Run it, three brokers, each in its own terminal (first name: this
//! broker, then its peers):
//!   cargo run --example peering1 -- DC1 DC2 DC3
//!   cargo run --example peering1 -- DC2 DC1 DC3
//!   cargo run --example peering1 -- DC3 DC1 DC2
//! Or all three at once:  cargo run -- run peering1
//! They run until Ctrl-C. The ipc:// files are in `--ipc-dir`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use workbook::Waited;

/// Broker peering, part 1: publish our state, print our peers'.
#[derive(Parser)]
struct Args {
    /// This broker's name (DC1).
    me: String,
    /// Its peers' names (DC2 DC3).
    peers: Vec<String>,
    /// The folder of the cluster's ipc:// files, shared by every broker.
    #[arg(long, default_value_os_t = workbook::IpcDir::default_path())]
    ipc_dir: PathBuf,
    /// Seed the random state figures, to repeat a run.
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let cluster = workbook::Cluster::new(&args.me, &args.peers)?;
    let me = cluster.me();
    println!("I: preparing broker at {me}...");
    let mut rng = workbook::generator(args.seed);
    let context = zmq::Context::new();
    let mut ipc = workbook::IpcDir::new(&args.ipc_dir)?;

    // Bind the state backend to our endpoint.
    let statebe = context.socket(zmq::PUB)?;
    statebe.set_linger(0)?;
    ipc.bind(&statebe, &format!("{me}-state.ipc"))?;

    // Connect the state frontend to every peer's state backend.
    let statefe = context.socket(zmq::SUB)?;
    statefe.set_subscribe(b"")?;
    for peer in &args.peers {
        println!("I: connecting to state backend at '{peer}'");
        ipc.connect(&statefe, &format!("{peer}-state.ipc"))?;
    }

    // Our heartbeat: send our state once a second, and in between print
    // our peers' states as they come.
    let mut send_at = Instant::now() + Duration::from_secs(1);
    loop {
        let left = send_at.saturating_duration_since(Instant::now());
        let mut items = [statefe.as_poll_item(zmq::POLLIN)];
        match workbook::poll_for(&mut items, left.as_millis() as u64)? {
            Waited::Interrupted => return Ok(()),
            Waited::Ready => match cluster.state(statefe.recv_multipart(0)?) {
                Ok((peer, available)) => println!("{peer} - {available} workers free"),
                Err(malformed) => malformed.report(),
            },
            Waited::TimedOut => {
                // Our name first: the only way peers know who is talking.
                let available = workbook::randof(&mut rng, 10).to_string();
                statebe.send_multipart([me.as_bytes(), available.as_bytes()], 0)?;
                send_at += Duration::from_secs(1);
            }
        }
    }
}
// ANCHOR_END: main
