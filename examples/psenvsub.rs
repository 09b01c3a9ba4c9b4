//! Pub-sub envelope subscriber: a SUB socket subscribes to the key "B" and
//! prints every message it gets as "[key] contents". The subscription is
//! matched against the first frame only, the key, never the contents.
//!
//! Run it:      cargo run --example psenvsub
//!              cargo run --example psenvsub -- --count 3   (three, then exit)
//! It needs the publisher: cargo run --example psenvpub in another terminal.
//! Or both at once:        cargo run -- run psenv
//! Ctrl-C stops it.

use clap::Parser;

/// Pub-sub envelope subscriber: connects SUB, subscribes to one key, prints "[key] contents".
#[derive(Parser)]
struct Args {
    /// The publisher.
    #[arg(long, default_value = "tcp://localhost:5563")]
    connect: String,
    /// The subscription: messages whose first frame, the key, starts with it.
    #[arg(long, default_value = "B")]
    subscribe: String,
    /// Exit after this many messages (without it, read until Ctrl-C).
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
    subscriber.set_subscribe(args.subscribe.as_bytes())?;

    let mut read = 0;
    while args.count.is_none_or(|count| read < count) {
        if !workbook::wait_readable(&subscriber)? {
            break; // Ctrl-C
        }
        // A multipart message arrives whole, or not at all: the envelope
        // with its key, then the contents.
        match envelope(subscriber.recv_multipart(0)?) {
            Ok((key, contents)) => {
                println!("[{key}] {contents}");
                read += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main

/// The key and the contents of a two-frame message, both UTF-8 text.
fn envelope(frames: Vec<Vec<u8>>) -> Result<(String, String), workbook::Malformed> {
    let [key, contents]: [Vec<u8>; 2] = frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
        workbook::Malformed(format!(
            "{} frames, expected 2 (key, contents)",
            frames.len()
        ))
    })?;
    Ok((workbook::text(vec![key])?, workbook::text(vec![contents])?))
}
