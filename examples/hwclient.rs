//! Hello World client: a REQ socket sends "Hello" ten times, waiting for each "World".
//!
//! Run it:      cargo run --example hwclient
//! It needs a server: cargo run --example hwserver (or mtserver) in another terminal.
//! Or both at once:   cargo run -- run hello

use clap::Parser;

/// Hello World client: connects REQ, sends ten "Hello" requests.
#[derive(Parser)]
struct Args {
    /// The server to talk to.
    #[arg(long, default_value = "tcp://localhost:5555")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    println!("Connecting to hello world server…");
    let requester = context.socket(zmq::REQ)?;
    // Without a server, the request waits in the queue; on Ctrl-C, drop it
    // rather than wait for a server forever.
    requester.set_linger(0)?;
    workbook::connect(&requester, &args.connect)?;

    for request_nbr in 0..10 {
        println!("Sending Hello {request_nbr}…");
        requester.send("Hello", 0)?;
        if !workbook::wait_readable(&requester)? {
            break; // Ctrl-C
        }
        match workbook::text(requester.recv_multipart(0)?) {
            Ok(world) if world == "World" => println!("Received World {request_nbr}"),
            Ok(other) => println!("Received {other:?} {request_nbr}"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main
