//! Task worker: PULLs workloads from the ventilator, "works" (sleeps) that many
//! msec, and PUSHes a result to the sink.
//!
//! Run it:  cargo run --example taskwork   (one per terminal, as many as you like)
//! It is one part of the pipeline: cargo run -- run pipeline starts the whole of it.
//! Ctrl-C stops it.

use clap::Parser;

/// Task worker: connects PULL to the ventilator and PUSH to the sink.
#[derive(Parser)]
struct Args {
    /// The ventilator, which hands out tasks.
    #[arg(long, default_value = "tcp://localhost:5557")]
    ventilator: String,
    /// The sink, which collects results.
    #[arg(long, default_value = "tcp://localhost:5558")]
    sink: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to receive tasks on.
    let receiver = context.socket(zmq::PULL)?;
    workbook::connect(&receiver, &args.ventilator)?;

    // Socket to send results to. On Ctrl-C, give a pending result a second to
    // leave, never longer.
    let sender = context.socket(zmq::PUSH)?;
    sender.set_linger(1000)?;
    workbook::connect(&sender, &args.sink)?;

    // Process tasks until Ctrl-C.
    while workbook::wait_readable(&receiver)? {
        let task = workbook::text(receiver.recv_multipart(0)?);
        let workload: u64 = match task.and_then(|text| workbook::parse(&text, "a workload in msec"))
        {
            Ok(workload) => workload,
            Err(malformed) => {
                malformed.report();
                continue;
            }
        };
        println!("{workload}."); // Show progress.
        if !workbook::sleep_ms(workload) {
            break; // Ctrl-C in the middle of the work.
        }
        sender.send("", 0)?; // Send the result to the sink.
    }
    Ok(())
}
// ANCHOR_END: main
