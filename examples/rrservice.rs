//! Named request-reply service: a REP socket answers every request with its
//! own name, so a client connected to several services sees which one took
//! each request.
//!
//! Run it:      cargo run --example rrservice -- --name A
//! Two more, in other terminals:
//!   cargo run --example rrservice -- --name B --bind tcp://127.0.0.1:5571
//!   cargo run --example rrservice -- --name C --bind tcp://127.0.0.1:5572
//! Then the client, connected to all three: cargo run --example rrspread
//! Or all four at once:                     cargo run -- run round-robin
//! Ctrl-C stops it.

use clap::Parser;

/// Named service: binds REP, answers each request with its name.
#[derive(Parser)]
struct Args {
    /// Where clients connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5570")]
    bind: String,
    /// The name it answers with.
    #[arg(long, default_value = "A")]
    name: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let responder = context.socket(zmq::REP)?;
    workbook::bind(&responder, &args.bind)?;

    // Wait for the next request (false once Ctrl-C is pressed).
    while workbook::wait_readable(&responder)? {
        match workbook::text(responder.recv_multipart(0)?) {
            Ok(request) => println!("Received {request}"),
            Err(malformed) => malformed.report(),
        }
        // The reply names this service. A REP socket answers every request,
        // even a malformed one, before it can receive the next.
        responder.send(args.name.as_str(), 0)?;
    }
    Ok(())
}
// ANCHOR_END: main
