//! Latency, timing side: a REQ socket sends a message, waits for it to come
//! back, and repeats; it prints the average time one way (half a round trip).
//! A port of libzmq's `remote_lat`, with the same arguments and printed lines.
//!
//! Run the echoing side first, then this one in another terminal:
//!   cargo run --release --example local_lat -- tcp://127.0.0.1:5555 256 10000
//!   cargo run --release --example remote_lat -- tcp://127.0.0.1:5555 256 10000
//! Or both at once: cargo run -- run latency

use std::time::Instant;

use clap::Parser;
use workbook::perf;

/// Send ROUNDTRIP_COUNT messages of MESSAGE_SIZE bytes on REQ, each after the
/// previous one came back, and print the average latency.
#[derive(Parser)]
struct Args {
    /// Where local_lat listens, e.g. tcp://127.0.0.1:5555.
    connect_to: String,
    /// The size of every message, in bytes.
    message_size: usize,
    /// How many round trips to time.
    #[arg(value_parser = clap::value_parser!(u64).range(1..))]
    roundtrip_count: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    perf::wake_every_slice(&requester)?;
    workbook::connect(&requester, &args.connect_to)?;

    // One message travels there and back, round after round: it is allocated
    // once, and each send hands its buffer to libzmq and each receive takes
    // the echo's buffer back into it.
    let mut message = zmq::Message::with_size(args.message_size);
    let start = Instant::now();
    for _ in 0..args.roundtrip_count {
        if !perf::send(&requester, message)? {
            return Ok(()); // Ctrl-C
        }
        message = zmq::Message::new();
        if !perf::recv(&requester, &mut message)? {
            return Ok(()); // Ctrl-C
        }
        if message.len() != args.message_size {
            let size = message.len();
            workbook::Malformed(format!("{size} bytes, expected {}", args.message_size)).report();
        }
    }
    let elapsed = perf::elapsed_us(start);

    perf::print_latency(args.message_size, args.roundtrip_count, elapsed);
    Ok(())
}
// ANCHOR_END: main
