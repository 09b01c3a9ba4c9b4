//! Task sink with a kill switch: like tasksink, but when the batch is done it
//! PUBlishes "KILL" so that every taskwork2 exits.
//!
//! Run it first:  cargo run --example tasksink2
//! then workers and the ventilator: cargo run --example taskwork2, taskvent.
//! Or all at once:                  cargo run -- run pipeline-kill

use std::io::Write;
use std::time::Instant;

use clap::Parser;

/// Task sink: binds PULL for results and PUB for the KILL signal.
#[derive(Parser)]
struct Args {
    /// Where the ventilator and the workers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5558")]
    bind: String,
    /// Where the workers listen for KILL.
    #[arg(long, default_value = "tcp://127.0.0.1:5559")]
    controller: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to receive results on.
    let receiver = context.socket(zmq::PULL)?;
    workbook::bind(&receiver, &args.bind)?;

    // Socket for worker control. Bind it now, before the batch: workers
    // subscribe while the batch runs, so none misses the KILL at its end.
    let controller = context.socket(zmq::PUB)?;
    workbook::bind(&controller, &args.controller)?;

    // Wait for the start of the batch.
    if !workbook::wait_readable(&receiver)? {
        return Ok(()); // Ctrl-C
    }
    receiver.recv_multipart(0)?;
    let start = Instant::now();

    // Collect 100 results.
    for task_nbr in 0..100 {
        if !workbook::wait_readable(&receiver)? {
            println!();
            return Ok(()); // Ctrl-C
        }
        receiver.recv_multipart(0)?;
        print!("{}", if task_nbr % 10 == 0 { ":" } else { "." });
        std::io::stdout().flush()?;
    }
    println!();
    println!("Total elapsed time: {} msec", start.elapsed().as_millis());

    // Send the kill signal to the workers. Linger gives it up to a second to
    // leave before the socket closes.
    controller.send("KILL", 0)?;
    controller.set_linger(1000)?;
    Ok(())
}
// ANCHOR_END: main
