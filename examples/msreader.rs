//! Multiple socket reader: reads tasks (PULL) and weather updates (SUB) with
//! non-blocking receives, napping 1 msec when neither has anything.
//!
//! Run it with a weather server and a ventilator:
//!   cargo run --example wuserver
//!   cargo run --example msreader
//!   cargo run --example taskvent
//! Or all three at once: cargo run -- run msreader
//! Ctrl-C stops it.

use std::time::Duration;

use clap::Parser;

/// Reads from the ventilator and the weather server, polling each in turn.
#[derive(Parser)]
struct Args {
    /// The ventilator, which sends tasks.
    #[arg(long, default_value = "tcp://localhost:5557")]
    ventilator: String,
    /// The weather server, which publishes updates.
    #[arg(long, default_value = "tcp://localhost:5556")]
    weather: String,
    /// The weather updates to subscribe to.
    #[arg(long, default_value = "10001 ")]
    filter: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Connect to the task ventilator.
    let receiver = context.socket(zmq::PULL)?;
    workbook::connect(&receiver, &args.ventilator)?;

    // Connect to the weather server.
    let subscriber = context.socket(zmq::SUB)?;
    workbook::connect(&subscriber, &args.weather)?;
    subscriber.set_subscribe(args.filter.as_bytes())?;

    // Process messages from both sockets, tasks first.
    while !workbook::interrupted() {
        // Read every task waiting, without blocking.
        loop {
            match receiver.recv_multipart(zmq::DONTWAIT) {
                Ok(task) => match workbook::text(task) {
                    Ok(workload) => println!("task: {workload}"),
                    Err(malformed) => malformed.report(),
                },
                Err(zmq::Error::EAGAIN) => break,
                Err(error) => return Err(error.into()),
            }
        }
        // Read every weather update waiting, without blocking.
        loop {
            match subscriber.recv_multipart(zmq::DONTWAIT) {
                Ok(update) => match workbook::text(update) {
                    Ok(update) => println!("weather update: {update}"),
                    Err(malformed) => malformed.report(),
                },
                Err(zmq::Error::EAGAIN) => break,
                Err(error) => return Err(error.into()),
            }
        }
        // Nothing left: nap 1 msec rather than spin.
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}
// ANCHOR_END: main
