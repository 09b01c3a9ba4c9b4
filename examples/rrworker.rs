//! Request-reply worker: a REP socket connects to a broker's backend (rrbroker
//! or msgqueue) and answers every request with "World".
//!
//! Run it:      cargo run --example rrworker
//! Start as many as you like, beside a broker (cargo run --example rrbroker)
//! and clients (cargo run --example rrclient).
//! Or a broker, two workers and two clients at once: cargo run -- run shared-queue
//! Ctrl-C stops it.

use clap::Parser;

/// Request-reply worker: connects REP to the broker's backend, answers "World".
#[derive(Parser)]
struct Args {
    /// The broker's backend, where workers connect.
    #[arg(long, default_value = "tcp://localhost:5560")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to talk to clients, through the broker.
    let responder = context.socket(zmq::REP)?;
    workbook::connect(&responder, &args.connect)?;

    // Wait for the next request (false once Ctrl-C is pressed).
    while workbook::wait_readable(&responder)? {
        match workbook::text(responder.recv_multipart(0)?) {
            Ok(request) => println!("Received request: [{request}]"),
            Err(malformed) => malformed.report(),
        }
        // Do some "work". A REP socket answers every request, even a
        // malformed one, before it can receive the next.
        if !workbook::sleep_ms(1000) {
            break;
        }
        responder.send("World", 0)?;
    }
    Ok(())
}
// ANCHOR_END: main
