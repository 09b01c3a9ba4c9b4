//! Streamer: the pipeline's ventilator and workers with a proxy between them.
//! A PULL socket takes the ventilator's tasks (the frontend), a PUSH socket
//! deals them out to workers (the backend), and the built-in proxy joins the
//! two: ZeroMQ 2.x's STREAMER device, in one call.
//!
//! Run it:      cargo run --example streamer -- --workers 3
//! Then the sink, three workers (connected to the streamer) and the
//! ventilator, each in its own terminal:
//!   cargo run --example tasksink
//!   cargo run --example taskwork -- --ventilator tcp://localhost:5560
//!   cargo run --example taskvent -- --workers 1
//! Or all of them at once: cargo run -- run streamer
//! Ctrl-C stops it.

use clap::Parser;

/// Streamer: PULL connected to the ventilator, PUSH bound for workers, the built-in proxy between.
#[derive(Parser)]
struct Args {
    /// The ventilator, which hands out tasks.
    #[arg(long, default_value = "tcp://localhost:5557")]
    frontend: String,
    /// Where workers connect for tasks.
    #[arg(long, default_value = "tcp://127.0.0.1:5560")]
    backend: String,
    /// Take no task until this many workers are connected (by default, take
    /// tasks at once).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket facing workers. Watch it from before the bind, so that every
    // worker that connects is counted. On Ctrl-C, give tasks on their way to
    // a worker a second to leave, no longer.
    let mut backend = context.socket(zmq::PUSH)?;
    backend.set_linger(1000)?;
    let mut workers = workbook::PeerWatch::new(&context, &backend)?;
    workbook::bind(&backend, &args.backend)?;

    // PUSH deals tasks to the workers connected at that moment: the first
    // worker would get them all. So wait for every worker first, and only
    // then reach out to the ventilator, which waits for us.
    if let Some(count) = args.workers {
        let s = if count == 1 { "" } else { "s" };
        println!("Waiting for {count} worker{s} to connect…");
        if !workers.wait_for(count)? {
            return Ok(()); // Ctrl-C
        }
    }

    // Socket facing the ventilator.
    let mut frontend = context.socket(zmq::PULL)?;
    workbook::connect(&frontend, &args.frontend)?;

    // Start the proxy: tasks flow from the frontend to the backend, until Ctrl-C.
    workbook::proxy(&context, &mut frontend, &mut backend)
}
// ANCHOR_END: main
