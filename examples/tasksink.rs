//! Task sink: PULLs the 100 results of a batch and says how long the batch took.
//!
//! Run it first:  cargo run --example tasksink
//! then the workers and the ventilator: cargo run --example taskwork, taskvent.
//! Or the whole pipeline at once:       cargo run -- run pipeline

use std::io::Write;
use std::time::Instant;

use clap::Parser;

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
    workbook::bind(&receiver, &args.bind)?;

    // Wait for the start of the batch.
    if !workbook::wait_readable(&receiver)? {
        return Ok(()); // Ctrl-C
    }
    receiver.recv_multipart(0)?;
    // Start our clock now.
    let start = Instant::now();

    // Collect 100 results: ":" for every tenth, "." for the others.
    for task_nbr in 0..100 {
        if !workbook::wait_readable(&receiver)? {
            println!();
            return Ok(()); // Ctrl-C
        }
        receiver.recv_multipart(0)?;
        print!("{}", if task_nbr % 10 == 0 { ":" } else { "." });
        std::io::stdout().flush()?;
    }
    // Calculate and report the duration of the batch.
    println!();
    println!("Total elapsed time: {} msec", start.elapsed().as_millis());
    Ok(())
}
// ANCHOR_END: main
