//! Latency, echoing side: a REP socket sends every message straight back.
//! A port of libzmq's `local_lat`, with the same arguments; it prints nothing,
//! `remote_lat` times the round trips.
//!
//! Run it, then the timing side in another terminal:
//!   cargo run --release --example local_lat -- tcp://127.0.0.1:5555 256 10000
//!   cargo run --release --example remote_lat -- tcp://127.0.0.1:5555 256 10000
//! Or both at once: cargo run -- run latency

use clap::Parser;
use workbook::perf;

/// Echo ROUNDTRIP_COUNT messages of MESSAGE_SIZE bytes on REP.
#[derive(Parser)]
struct Args {
    /// Where to listen, e.g. tcp://127.0.0.1:5555 or ipc:///tmp/lat.
    bind_to: String,
    /// The size of every message, in bytes.
    message_size: usize,
    /// How many round trips to serve.
    roundtrip_count: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let echo = context.socket(zmq::REP)?;
    perf::wake_every_slice(&echo)?;
    workbook::bind(&echo, &args.bind_to)?;

    for _ in 0..args.roundtrip_count {
        // Receive, and send the very same message back: sending hands its
        // buffer on to libzmq, so nothing is copied or allocated here.
        let mut message = zmq::Message::new();
        if !perf::recv(&echo, &mut message)? {
            return Ok(()); // Ctrl-C
        }
        if message.len() != args.message_size {
            let size = message.len();
            workbook::Malformed(format!("{size} bytes, expected {}", args.message_size)).report();
        }
        // REP must answer every request, even a malformed one.
        if !perf::send(&echo, message)? {
            return Ok(());
        }
    }

    // Terminating the context waits until the last answer is delivered.
    drop(echo);
    perf::flush_and_term(context);
    Ok(())
}
// ANCHOR_END: main
