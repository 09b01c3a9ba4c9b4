//! Latency between two threads of one process, over `inproc://`: the main
//! thread's REQ sends a message, a REP thread sends it back, round after round.
//! A port of libzmq's `inproc_lat`, with the same arguments and printed lines.
//!
//! Run it: cargo run --release --example inproc_lat -- 256 10000
//! Or:     cargo run -- run inproc-latency

use std::time::Instant;

use clap::Parser;
use workbook::perf;

/// Time ROUNDTRIP_COUNT round trips of a MESSAGE_SIZE-byte message between two
/// threads and print the average latency.
#[derive(Parser)]
struct Args {
    /// The size of the message, in bytes.
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
    workbook::bind(&requester, "inproc://lat_test")?;

    let echoing = std::thread::spawn({
        let context = context.clone();
        move || echo_all(&context, args.roundtrip_count)
    });

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
        anyhow::ensure!(
            message.len() == args.message_size,
            "message of incorrect size received: {} bytes",
            message.len()
        );
    }
    let elapsed = perf::elapsed_us(start);
    echoing.join().expect("the echoing thread panicked")?;

    perf::print_latency(args.message_size, args.roundtrip_count, elapsed);
    Ok(())
}

/// The other thread: connect REP and send back each of `count` messages.
fn echo_all(context: &zmq::Context, count: u64) -> anyhow::Result<()> {
    let echo = context.socket(zmq::REP)?;
    perf::wake_every_slice(&echo)?;
    workbook::connect(&echo, "inproc://lat_test")?;
    for _ in 0..count {
        let mut message = zmq::Message::new();
        if !perf::recv(&echo, &mut message)? || !perf::send(&echo, message)? {
            break; // Ctrl-C
        }
    }
    Ok(())
}
// ANCHOR_END: main
