//! Poller server's client: a REQ socket sends "Hello" a few times and prints
//! each reply, "World N", where N is the server's count of this client's
//! requests.
//!
//! Run it:      cargo run --example pollclient
//! It needs the server: cargo run --example pollserver in another terminal.
//! Or three clients and the server at once: cargo run -- run poll-server
//! Ctrl-C stops it while it waits for a reply.

use clap::Parser;

/// Poller server's client: connects REQ, sends "Hello", prints the replies.
#[derive(Parser)]
struct Args {
    /// The poller server.
    #[arg(long, default_value = "tcp://localhost:5555")]
    connect: String,
    /// How many requests to send.
    #[arg(long, default_value_t = 5)]
    requests: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    // Without a server, a request waits in the queue: on Ctrl-C, drop it.
    requester.set_linger(0)?;
    workbook::connect(&requester, &args.connect)?;

    for request_nbr in 1..=args.requests {
        requester.send("Hello", 0)?;
        if !workbook::wait_readable(&requester)? {
            return Ok(()); // Ctrl-C
        }
        match workbook::text(requester.recv_multipart(0)?) {
            Ok(reply) => println!("Received reply {request_nbr} [{reply}]"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main
