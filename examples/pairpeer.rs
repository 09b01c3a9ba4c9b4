//! One side of an exclusive pair: a PAIR socket that binds (`--bind`) or
//! connects (`--connect`), sends a few numbered messages to its one peer, and
//! reads as many from it. Neither side waits for its turn: PAIR carries
//! messages both ways, in any order.
//!
//! Run it:      cargo run --example pairpeer -- --bind tcp://127.0.0.1:5580
//! Then, in another terminal, the other side:
//!              cargo run --example pairpeer -- --connect tcp://localhost:5580
//! Or the whole lesson:  cargo run -- run pair
//! Ctrl-C stops it while it waits.

use clap::Parser;

/// One side of a PAIR: binds or connects, sends N numbered messages, reads N.
#[derive(Parser)]
#[command(group = clap::ArgGroup::new("side").required(true).args(["bind", "connect"]))]
struct Args {
    /// Be the side that binds, here.
    #[arg(long)]
    bind: Option<String>,
    /// Be the side that connects, to here.
    #[arg(long)]
    connect: Option<String>,
    /// How many messages to send, and to read.
    #[arg(long, default_value_t = 3)]
    count: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let pair = context.socket(zmq::PAIR)?;
    // What is still queued at the end gets a second to go, not for ever: the
    // peer may be gone.
    pair.set_linger(1000)?;
    let side = match (&args.bind, &args.connect) {
        (Some(endpoint), _) => {
            workbook::bind(&pair, endpoint)?;
            println!("Bound to {endpoint}");
            "bind side"
        }
        (None, Some(endpoint)) => {
            workbook::connect(&pair, endpoint)?;
            println!("Connected to {endpoint}");
            "connect side"
        }
        (None, None) => unreachable!("clap requires one of them"),
    };

    // A bound PAIR has nowhere to send until its peer connects; a connected
    // one queues for its peer at once. Waiting until it is writable covers both.
    for number in 1..=args.count {
        if !workbook::wait_writable(&pair)? {
            return Ok(()); // Ctrl-C
        }
        let message = format!("{number} from the {side}");
        pair.send(message.as_str(), 0)?;
        println!("Sent \"{message}\"");
    }
    let mut read = 0;
    while read < args.count {
        if !workbook::wait_readable(&pair)? {
            return Ok(());
        }
        match workbook::text(pair.recv_multipart(0)?) {
            Ok(message) => {
                println!("Received \"{message}\"");
                read += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main
