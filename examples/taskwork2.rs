//! Task worker with a kill switch: like taskwork, but it also SUBscribes to the
//! sink's control channel and exits when the sink broadcasts "KILL".
//!
//! Run it:  cargo run --example taskwork2  (one per terminal, as many as you like)
//! with tasksink2 and taskvent; or all at once: cargo run -- run pipeline-kill

use clap::Parser;

/// Task worker: PULL tasks, PUSH results, SUB to the sink's KILL signal.
#[derive(Parser)]
struct Args {
    /// The ventilator, which hands out tasks.
    #[arg(long, default_value = "tcp://localhost:5557")]
    ventilator: String,
    /// The sink, which collects results.
    #[arg(long, default_value = "tcp://localhost:5558")]
    sink: String,
    /// The sink's control channel, which says KILL when the batch is done.
    #[arg(long, default_value = "tcp://localhost:5559")]
    controller: String,
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

    // Socket to send results to.
    let sender = context.socket(zmq::PUSH)?;
    sender.set_linger(1000)?;
    workbook::connect(&sender, &args.sink)?;

    // Socket for control input: every message the sink publishes.
    let controller = context.socket(zmq::SUB)?;
    workbook::connect(&controller, &args.controller)?;
    controller.set_subscribe(b"")?;

    // Process messages from either socket, until KILL (or Ctrl-C).
    loop {
        let mut items = [
            receiver.as_poll_item(zmq::POLLIN),
            controller.as_poll_item(zmq::POLLIN),
        ];
        if !workbook::poll(&mut items)? {
            break; // Ctrl-C
        }
        if items[0].is_readable() {
            let task = receiver.recv_multipart(0)?;
            match workbook::text(task)
                .and_then(|text| workbook::parse::<u64>(&text, "a workload in msec"))
            {
                Ok(workload) => {
                    println!("{workload}."); // Show progress.
                    if !workbook::sleep_ms(workload) {
                        break;
                    }
                    sender.send("", 0)?;
                }
                Err(malformed) => malformed.report(),
            }
        }
        // The sink says KILL when the batch is done.
        if items[1].is_readable() {
            match workbook::text(controller.recv_multipart(0)?) {
                Ok(signal) if signal == "KILL" => break,
                Ok(other) => workbook::Malformed(format!("{other:?}, expected \"KILL\"")).report(),
                Err(malformed) => malformed.report(),
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
