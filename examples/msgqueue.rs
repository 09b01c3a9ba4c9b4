//! Message queue broker: rrbroker again, with ZeroMQ's built-in proxy in place
//! of the hand-written poll loop. Clients connect to its ROUTER (the
//! frontend), workers to its DEALER (the backend).
//!
//! Run it:      cargo run --example msgqueue
//! Then workers and clients, in other terminals:
//!   cargo run --example rrworker
//!   cargo run --example rrclient
//! Or a broker, two workers and two clients at once: cargo run -- run msgqueue
//! Ctrl-C stops it.

use clap::Parser;

/// Message queue broker: ROUTER for clients, DEALER for workers, the built-in proxy between.
#[derive(Parser)]
struct Args {
    /// Where clients connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5559")]
    frontend: String,
    /// Where workers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5560")]
    backend: String,
    /// Take no request until this many workers are connected (by default,
    /// take requests at once, as the guide's broker does).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket facing clients.
    let mut frontend = context.socket(zmq::ROUTER)?;
    workbook::bind(&frontend, &args.frontend)?;

    // Socket facing services (the workers).
    let mut backend = context.socket(zmq::DEALER)?;
    let mut workers = workbook::PeerWatch::new(&context, &backend)?;
    workbook::bind(&backend, &args.backend)?;

    // As in rrbroker: deal requests out only once every worker is there.
    if let Some(count) = args.workers {
        let s = if count == 1 { "" } else { "s" };
        println!("Waiting for {count} worker{s} to connect…");
        if !workers.wait_for(count)? {
            return Ok(()); // Ctrl-C
        }
    }

    // Start the proxy: rrbroker's loop, in one call, until Ctrl-C.
    workbook::proxy(&context, &mut frontend, &mut backend)?;
    Ok(())
}
// ANCHOR_END: main
