//! Throughput, sending side: a PUSH socket sends messages as fast as it can.
//! A port of libzmq's `remote_thr`, with the same arguments; it prints nothing,
//! `local_thr` does the counting.
//!
//! Run the receiving side first, then this one in another terminal:
//!   cargo run --release --example local_thr -- tcp://127.0.0.1:5555 256 100000
//!   cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 256 100000
//! Or both at once: cargo run -- run throughput

use clap::Parser;
use workbook::perf;

/// Send MESSAGE_COUNT messages of MESSAGE_SIZE bytes on PUSH.
#[derive(Parser)]
struct Args {
    /// Where local_thr listens, e.g. tcp://127.0.0.1:5555.
    connect_to: String,
    /// The size of every message, in bytes.
    message_size: usize,
    /// How many messages to send.
    message_count: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let sender = context.socket(zmq::PUSH)?;
    perf::wake_every_slice(&sender)?;
    workbook::connect(&sender, &args.connect_to)?;

    for _ in 0..args.message_count {
        // A new message each time, as a real sender would have: sending hands
        // its buffer to libzmq, which frees it once it is on the wire.
        if !perf::send_with(&sender, || zmq::Message::with_size(args.message_size))? {
            return Ok(()); // Ctrl-C
        }
    }

    // Terminating the context waits until every message is delivered.
    drop(sender);
    perf::flush_and_term(context);
    Ok(())
}
// ANCHOR_END: main
