//! Late server: a REP socket that binds only after a delay, to show that
//! clients may start first. It answers every request with "World".
//!
//! Run it:      cargo run --example lateserver
//! Start the client first, in another terminal: cargo run --example earlyclient
//! Or the whole lesson:                         cargo run -- run bind-connect
//! Ctrl-C stops it.

use clap::Parser;

/// Late server: waits, then binds REP and answers each request with "World".
#[derive(Parser)]
struct Args {
    /// Where to listen for clients, once the delay is over.
    #[arg(long, default_value = "tcp://127.0.0.1:5555")]
    bind: String,
    /// How long to wait before binding, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    delay_ms: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let responder = context.socket(zmq::REP)?;

    // Come late on purpose: clients started meanwhile have connected, and
    // their requests are waiting on their side.
    println!("Waiting {} ms before binding", args.delay_ms);
    if !workbook::sleep_ms(args.delay_ms) {
        return Ok(()); // Ctrl-C
    }
    workbook::bind(&responder, &args.bind)?;
    println!("Bound to {}", args.bind);

    while workbook::wait_readable(&responder)? {
        match workbook::text(responder.recv_multipart(0)?) {
            Ok(request) => println!("Received {request:?}"),
            Err(malformed) => malformed.report(),
        }
        // A REP socket answers every request before it takes the next.
        responder.send("World", 0)?;
    }
    Ok(())
}
// ANCHOR_END: main
