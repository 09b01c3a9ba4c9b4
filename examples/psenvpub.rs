//! Pub-sub envelope publisher: a PUB socket sends two-frame messages, the key
//! ("A" or "B") in the first frame and the contents in the second, once a
//! second, so that subscribers filter on the key alone.
//!
//! Run it:      cargo run --example psenvpub
//! Then, in another terminal, the subscriber: cargo run --example psenvsub
//! Or both at once:                           cargo run -- run psenv
//! Ctrl-C stops it.

use clap::Parser;

/// Pub-sub envelope publisher: binds PUB, sends an "A" and a "B" message every second.
#[derive(Parser)]
struct Args {
    /// Where subscribers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5563")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    workbook::bind(&publisher, &args.bind)?;

    loop {
        // Two messages, each an envelope (the key) and the contents: SNDMORE
        // says another frame of the same message follows.
        publisher.send("A", zmq::SNDMORE)?;
        publisher.send("We don't want to see this", 0)?;
        publisher.send("B", zmq::SNDMORE)?;
        publisher.send("We would like to see this", 0)?;
        // Once a second, until Ctrl-C.
        if !workbook::sleep_ms(1000) {
            break;
        }
    }
    Ok(())
}
// ANCHOR_END: main
