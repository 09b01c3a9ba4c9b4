//! Port client: one REQ socket connected to two servers, on two ports. REQ
//! deals its requests out in turn to the peers it is connected to, so the
//! replies alternate between the two ports.
//!
//! Run it:      cargo run --example portclient
//! It needs both servers, in two other terminals:
//!              cargo run --example portserver -- --bind tcp://127.0.0.1:5556
//!              cargo run --example portserver -- --bind tcp://127.0.0.1:5546
//! Or all three at once: cargo run -- run several-ports
//! Ctrl-C stops it while it waits for a reply.

use clap::Parser;

/// Port client: connects REQ to every --connect, prints who answered.
#[derive(Parser)]
struct Args {
    /// A server to connect to; give it once per server.
    #[arg(long, default_values = ["tcp://localhost:5556", "tcp://localhost:5546"])]
    connect: Vec<String>,
    /// How many requests to send.
    #[arg(long, default_value_t = 6)]
    requests: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    // A request dealt to a server that is not there waits in its queue: on
    // Ctrl-C, drop it.
    requester.set_linger(0)?;
    // One socket, several connections: each is a peer to deal requests to.
    for endpoint in &args.connect {
        println!("Connecting to {endpoint}");
        workbook::connect(&requester, endpoint)?;
    }

    for request_nbr in 1..=args.requests {
        println!("Sending request {request_nbr}…");
        requester.send(&format!("Hello {request_nbr}"), 0)?;
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
