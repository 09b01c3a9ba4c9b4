//! Request-reply client: a REQ socket sends "Hello" ten times to a broker
//! (rrbroker or msgqueue), which passes each request on to a worker.
//!
//! Run it:      cargo run --example rrclient
//! It needs a broker and a worker: cargo run --example rrbroker and
//! cargo run --example rrworker, in other terminals.
//! Or all of them at once: cargo run -- run shared-queue

use clap::Parser;

/// Request-reply client: connects REQ to the broker's frontend, sends ten "Hello".
#[derive(Parser)]
struct Args {
    /// The broker's frontend, where clients connect.
    #[arg(long, default_value = "tcp://localhost:5559")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to talk to the broker. On Ctrl-C with no reply in sight, drop
    // the queued request rather than wait to deliver it.
    let requester = context.socket(zmq::REQ)?;
    requester.set_linger(0)?;
    workbook::connect(&requester, &args.connect)?;

    for request_nbr in 0..10 {
        requester.send("Hello", 0)?;
        if !workbook::wait_readable(&requester)? {
            break; // Ctrl-C
        }
        match workbook::text(requester.recv_multipart(0)?) {
            Ok(reply) => println!("Received reply {request_nbr} [{reply}]"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main
