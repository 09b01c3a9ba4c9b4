//! Throughput, receiving side: a PULL socket counts messages as fast as they
//! come and prints how many per second. A port of libzmq's `local_thr`, with the
//! same arguments and the same printed lines.
//!
//! Run it, then the sending side in another terminal:
//!   cargo run --release --example local_thr -- tcp://127.0.0.1:5555 256 100000
//!   cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 256 100000
//! Or both at once: cargo run -- run throughput
//! Or measure it against the C tool: cargo make perf

use std::time::Instant;

use anyhow::bail;
use clap::Parser;
use workbook::perf;

/// Receive MESSAGE_COUNT messages of MESSAGE_SIZE bytes on PULL and print the
/// throughput.
#[derive(Parser)]
struct Args {
    /// Where to listen, e.g. tcp://127.0.0.1:5555 or ipc:///tmp/thr.
    bind_to: String,
    /// The size of every message, in bytes.
    message_size: usize,
    /// How many messages to expect.
    #[arg(value_parser = clap::value_parser!(u64).range(1..))]
    message_count: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    perf::wake_every_slice(&receiver)?;
    workbook::bind(&receiver, &args.bind_to)?;

    // One message, received into again and again: libzmq reuses it, so the
    // loop allocates nothing of its own.
    let mut message = zmq::Message::new();
    let mut start = None;
    for _ in 0..args.message_count {
        if !perf::recv(&receiver, &mut message)? {
            return Ok(()); // Ctrl-C
        }
        if message.len() != args.message_size {
            bail!(
                "message of incorrect size received: {} bytes, expected {}",
                message.len(),
                args.message_size
            );
        }
        // Start the clock at the first message, once the peer is connected.
        start.get_or_insert_with(Instant::now);
    }
    let elapsed = start.map_or(0, perf::elapsed_us);

    perf::print_throughput(args.message_size, args.message_count, elapsed);
    Ok(())
}
// ANCHOR_END: main
