//! Throughput between two threads of one process, over `inproc://`: a PUSH
//! thread sends as fast as it can, the main thread's PULL counts. A port of
//! libzmq's `inproc_thr`, with the same arguments and printed lines.
//!
//! Run it: cargo run --release --example inproc_thr -- 256 100000
//! Or:     cargo run -- run inproc-throughput

use std::time::Instant;

use anyhow::bail;
use clap::Parser;
use workbook::perf;

/// Send MESSAGE_COUNT messages of MESSAGE_SIZE bytes from one thread to another
/// and print the throughput.
#[derive(Parser)]
struct Args {
    /// The size of every message, in bytes.
    message_size: usize,
    /// How many messages to send.
    #[arg(value_parser = clap::value_parser!(u64).range(1..))]
    message_count: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    // Both threads share one context: inproc endpoints live inside it.
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    perf::wake_every_slice(&receiver)?;
    workbook::bind(&receiver, "inproc://thr_test")?;

    let sending = std::thread::spawn({
        let context = context.clone();
        move || send_all(&context, args.message_size, args.message_count)
    });

    let mut message = zmq::Message::new();
    let mut start = None;
    for _ in 0..args.message_count {
        if !perf::recv(&receiver, &mut message)? {
            return Ok(()); // Ctrl-C
        }
        if message.len() != args.message_size {
            bail!(
                "message of incorrect size received: {} bytes",
                message.len()
            );
        }
        start.get_or_insert_with(Instant::now);
    }
    let elapsed = start.map_or(0, perf::elapsed_us);
    sending.join().expect("the sending thread panicked")?;

    perf::print_throughput(args.message_size, args.message_count, elapsed);
    Ok(())
}

/// The other thread: connect PUSH and send `count` messages of `size` bytes.
fn send_all(context: &zmq::Context, size: usize, count: u64) -> anyhow::Result<()> {
    let sender = context.socket(zmq::PUSH)?;
    perf::wake_every_slice(&sender)?;
    workbook::connect(&sender, "inproc://thr_test")?;
    for _ in 0..count {
        if !perf::send_with(&sender, || zmq::Message::with_size(size))? {
            break; // Ctrl-C
        }
    }
    Ok(())
}
// ANCHOR_END: main
