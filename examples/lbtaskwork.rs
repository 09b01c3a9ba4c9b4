//! Load-balanced task worker: asks the ventilator for work over REQ ("READY"),
//! "works" (sleeps) the workload it is given, PUSHes a result to the sink, and
//! asks again, until the ventilator answers "END".
//!
//! Run it:  cargo run --example lbtaskwork   (one per terminal, as many as you like)
//! It is one part of the load-balanced pipeline: cargo run -- run lbpipeline
//! starts the whole of it. It stops by itself at "END", or on Ctrl-C.

use clap::Parser;

/// Load-balanced worker: connects REQ to the ventilator and PUSH to the sink.
#[derive(Parser)]
struct Args {
    /// The ventilator, which hands out a task to each worker that asks.
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

    // Socket to ask for tasks on. libzmq gives it a routing id of its own,
    // unique on the ventilator's ROUTER. A request still queued when the
    // worker stops (no ventilator yet) is worth nothing: no linger.
    let ventilator = context.socket(zmq::REQ)?;
    ventilator.set_linger(0)?;
    workbook::connect(&ventilator, &args.ventilator)?;

    // Socket to send results to. On the way out, give the last result a
    // second to leave, never longer.
    let sender = context.socket(zmq::PUSH)?;
    sender.set_linger(1000)?;
    workbook::connect(&sender, &args.sink)?;

    loop {
        // Ask for work: when starting, and after every task.
        ventilator.send("READY", 0)?;
        if !workbook::wait_readable(&ventilator)? {
            return Ok(()); // Ctrl-C
        }
        let task = workbook::text(ventilator.recv_multipart(0)?);
        if task.as_deref() == Ok("END") {
            return Ok(()); // The batch is out: no more work.
        }
        let workload: u64 =
            match task.and_then(|text| workbook::parse(&text, "a workload in msec, or END")) {
                Ok(workload) => workload,
                Err(malformed) => {
                    malformed.report(); // And ask again.
                    continue;
                }
            };
        println!("{workload}."); // Show progress.
        if !workbook::sleep_ms(workload) {
            return Ok(()); // Ctrl-C in the middle of the work.
        }
        sender.send("", 0)?; // Send the result to the sink.
    }
}
// ANCHOR_END: main
