//! Port server: a REP socket on one port answers every "Hello N" with "World
//! from PORT", naming the port it was bound to. Start two, on two ports, and a
//! client connected to both sees its requests shared out between them.
//!
//! Run it:      cargo run --example portserver -- --bind tcp://127.0.0.1:5556
//! And:         cargo run --example portserver -- --bind tcp://127.0.0.1:5546
//! Then, in a third terminal: cargo run --example portclient
//! Or all three at once:      cargo run -- run several-ports
//! Ctrl-C stops it.

use clap::Parser;

/// Port server: binds REP on one port, replies "World from PORT".
#[derive(Parser)]
struct Args {
    /// Where clients connect; the port is named in every reply.
    #[arg(long, default_value = "tcp://127.0.0.1:5556")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let responder = context.socket(zmq::REP)?;
    workbook::bind(&responder, &args.bind)?;
    // The endpoint as bound: with a port of "*", the one the system chose.
    let bound = responder
        .get_last_endpoint()?
        .map_err(|_| anyhow::anyhow!("the bound endpoint is not text"))?;
    let port = bound.rsplit(':').next().unwrap_or(&bound).to_string();
    println!("Serving on port {port}");

    while workbook::wait_readable(&responder)? {
        let request = responder.recv_multipart(0)?;
        match workbook::text(request) {
            Ok(text) if is_hello(&text) => println!("Received request: {text}"),
            Ok(other) => workbook::Malformed(format!("{other:?}, expected \"Hello N\"")).report(),
            Err(malformed) => malformed.report(),
        }
        // A REP socket must answer every request before it can receive the
        // next, so even a malformed one gets its reply.
        responder.send(&format!("World from {port}"), 0)?;
    }
    Ok(())
}

/// "Hello" and the client's request number.
fn is_hello(text: &str) -> bool {
    text.strip_prefix("Hello ")
        .is_some_and(|number| number.parse::<u32>().is_ok())
}
// ANCHOR_END: main
