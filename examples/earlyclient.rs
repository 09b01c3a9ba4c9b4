//! Early client: a REQ socket connects where no server is listening yet, and
//! sends its request at once. ZeroMQ queues it, and delivers it once a server
//! binds there; the client prints how long the reply took.
//!
//! Run it first:  cargo run --example earlyclient
//! Then, in another terminal, the server: cargo run --example lateserver
//! Or the whole lesson:                   cargo run -- run bind-connect
//! Ctrl-C stops it while it waits.

use std::time::Instant;

use clap::Parser;

/// Early client: connects REQ before any server is there, sends "Hello" at once.
#[derive(Parser)]
struct Args {
    /// The server, which need not be there yet.
    #[arg(long, default_value = "tcp://localhost:5555")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    // Should no server ever come, Ctrl-C drops the queued request instead of
    // waiting for one for ever.
    requester.set_linger(0)?;
    // The connect succeeds with nothing listening: ZeroMQ makes the
    // connection in the background, and retries until a server is there.
    workbook::connect(&requester, &args.connect)?;
    println!(
        "Connected to {}, where no server needs to be yet",
        args.connect
    );

    // The request goes into the socket's queue at once.
    requester.send("Hello", 0)?;
    let sent = Instant::now();
    println!("Sent \"Hello\": it waits in the queue for a server");

    if !workbook::wait_readable(&requester)? {
        return Ok(()); // Ctrl-C
    }
    match workbook::text(requester.recv_multipart(0)?) {
        Ok(reply) => println!(
            "Received {reply:?} {} ms after sending",
            sent.elapsed().as_millis()
        ),
        Err(malformed) => malformed.report(),
    }
    Ok(())
}
// ANCHOR_END: main
