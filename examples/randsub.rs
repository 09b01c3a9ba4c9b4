//! Random-number subscriber: a SUB socket subscribes to everything randpub
//! publishes and prints each number as it comes.
//!
//! Run it:      cargo run --example randsub
//!              cargo run --example randsub -- --count 5   (five, then exit)
//! It needs the publisher: cargo run --example randpub in another terminal.
//! Or both at once:        cargo run -- run first-pubsub
//! Ctrl-C stops it.

use clap::Parser;

/// Random-number subscriber: connects SUB, subscribes to everything, prints each number.
#[derive(Parser)]
struct Args {
    /// The publisher.
    #[arg(long, default_value = "tcp://localhost:8999")]
    connect: String,
    /// Exit after this many numbers (without it, read until Ctrl-C).
    #[arg(long)]
    count: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let subscriber = context.socket(zmq::SUB)?;
    workbook::connect(&subscriber, &args.connect)?;
    // A SUB socket gets nothing until it subscribes; the empty prefix
    // matches every message.
    subscriber.set_subscribe(b"")?;

    let mut received = 0;
    while args.count.is_none_or(|count| received < count) {
        if !workbook::wait_readable(&subscriber)? {
            break; // Ctrl-C
        }
        match number(subscriber.recv_multipart(0)?) {
            Ok(number) => {
                println!("Received {number}");
                received += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main

/// The number a message holds: one frame of text, from 0 to 99.
fn number(frames: Vec<Vec<u8>>) -> Result<u32, workbook::Malformed> {
    let text = workbook::text(frames)?;
    let number: u32 = workbook::parse(&text, "a number from 0 to 99")?;
    if number > 99 {
        return Err(workbook::Malformed(format!(
            "{number} is not a number from 0 to 99"
        )));
    }
    Ok(number)
}
