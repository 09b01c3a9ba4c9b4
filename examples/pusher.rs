//! Pusher: a PUSH socket sends a small batch of tasks, "task 1" to "task 5",
//! then "END", to the pullers connected to it, and exits once they are out.
//!
//! Run it:      cargo run --example pusher
//! Then, in another terminal, the puller: cargo run --example puller
//! Or both at once:                       cargo run -- run first-pipeline
//! Until a puller connects, it waits (Ctrl-C stops it).

use clap::Parser;

/// Pusher: binds PUSH, waits for a puller, sends N tasks and "END".
#[derive(Parser)]
struct Args {
    /// Where pullers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:9399")]
    bind: String,
    /// How many tasks in the batch.
    #[arg(long, default_value_t = 5)]
    tasks: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let pusher = context.socket(zmq::PUSH)?;
    workbook::bind(&pusher, &args.bind)?;

    // A PUSH socket with no puller holds its messages back: wait until one
    // can go, rather than block in `send`.
    println!("Waiting for a puller");
    if !workbook::wait_writable(&pusher)? {
        return Ok(()); // Ctrl-C
    }
    for task in 1..=args.tasks {
        pusher.send(format!("task {task}").as_str(), 0)?;
    }
    // The end of the batch, so that the puller knows when to stop.
    pusher.send("END", 0)?;
    println!("Sent {} tasks and END", args.tasks);
    // Dropping the socket and the context waits until every message has
    // gone out (the default linger: for ever).
    Ok(())
}
// ANCHOR_END: main
