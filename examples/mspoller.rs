//! Multiple socket poller: reads tasks (PULL) and weather updates (SUB) with
//! zmq::poll, which sleeps until either socket has a message.
//!
//! Run it with a weather server and a ventilator:
//!   cargo run --example wuserver
//!   cargo run --example mspoller
//!   cargo run --example taskvent
//! Or all three at once: cargo run -- run mspoller
//! Ctrl-C stops it.

use clap::Parser;

/// Reads from the ventilator and the weather server, whichever has a message.
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

    // Process messages from both sockets, as they come.
    loop {
        let mut items = [
            receiver.as_poll_item(zmq::POLLIN),
            subscriber.as_poll_item(zmq::POLLIN),
        ];
        // zmq::poll, waking up for Ctrl-C too.
        if !workbook::poll(&mut items)? {
            break;
        }
        if items[0].is_readable() {
            match workbook::text(receiver.recv_multipart(0)?) {
                Ok(workload) => println!("task: {workload}"),
                Err(malformed) => malformed.report(),
            }
        }
        if items[1].is_readable() {
            match workbook::text(subscriber.recv_multipart(0)?) {
                Ok(update) => println!("weather update: {update}"),
                Err(malformed) => malformed.report(),
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
