//! Task sink: PULLs the 100 results of a batch and says how long the batch took.
//!
//! Run it first:  cargo run --example tasksink
//! then the workers and the ventilator: cargo run --example taskwork, taskvent.
//! Or the whole pipeline at once:       cargo run -- run pipeline

use std::io::Write;
use std::time::Instant;

use clap::Parser;
use workbook::SocketExt;

/// Task sink: binds PULL, collects a batch of 100 results.
#[derive(Parser)]
struct Args {
    /// Where the ventilator and the workers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5558")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    receiver.bind_to(&args.bind)?;

    // Wait for the start of the batch.
    if receiver.recv_frames()?.is_none() {
        return Ok(()); // Ctrl-C
    }
    // Start our clock now.
    let start = Instant::now();

    // Collect 100 results: ":" for every tenth, "." for the others.
    for task_nbr in 0..100 {
        if receiver.recv_frames()?.is_none() {
            println!();
            return Ok(());
        }
        print!("{}", if task_nbr % 10 == 0 { ":" } else { "." });
        std::io::stdout().flush()?;
    }
    // Calculate and report the duration of the batch.
    println!();
    println!("Total elapsed time: {} msec", start.elapsed().as_millis());
    Ok(())
}
// ANCHOR_END: main
