//! Zero-copy: a `zmq::Message` made from a `Vec<u8>` takes the vector's buffer
//! as it is (libzmq's zmq_msg_init_data, with a function that frees the buffer
//! once ZeroMQ is done with it); one made from a slice copies the bytes. Over
//! inproc:// the message itself is handed to the receiver, so `recv_msg` gets
//! the very buffer that was sent. Then a small measurement: sending with a
//! copy against sending without one, for a few message sizes.
//!
//! One process, its sockets joined over inproc://.
//!
//! Run it:            cargo run --example zerocopy
//! Or as the lesson:  cargo run -- run messages
//! It exits by itself after a second or two; Ctrl-C stops it sooner.

use std::time::Instant;

use clap::Parser;

/// Zero-copy messages: whose buffer a message uses, and what a copy costs.
#[derive(Parser)]
struct Args {
    /// How many megabytes to send for each message size and each way.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    volume_mb: u64,
}

/// The message sizes measured, in bytes.
const SIZES: [usize; 3] = [100, 10_000, 1_000_000];

/// No more messages than this for one size and one way.
const MAX_MESSAGES: u64 = 100_000;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    workbook::bind(&receiver, "inproc://zerocopy")?;
    let sender = context.socket(zmq::PUSH)?;
    workbook::connect(&sender, "inproc://zerocopy")?;

    let buffer: Vec<u8> = vec![b'x'; 1_000_000];
    let address = buffer.as_ptr();
    println!(
        "A buffer of {} bytes, and messages made from it:",
        buffer.len()
    );

    // From a slice: a new message, the bytes copied into it.
    let copied = zmq::Message::from(&buffer[..]);
    println!(
        "  Message::from(&buffer[..]): same buffer: {}",
        same(&copied, address)
    );

    // From the Vec itself: the message owns the buffer now, nothing copied.
    let message = zmq::Message::from(buffer);
    println!(
        "  Message::from(buffer): same buffer: {}",
        same(&message, address)
    );

    // inproc:// passes the message on as it is: the receiver reads the
    // sender's buffer in place.
    sender.send(message, 0)?;
    let received = receiver.recv_msg(0)?;
    println!(
        "  sent, then recv_msg: same buffer: {}",
        same(&received, address)
    );
    drop(received); // The last reference: ZeroMQ frees the buffer now.

    sender.send(zmq::Message::from(vec![b'x'; 1_000_000]), 0)?;
    let bytes = receiver.recv_bytes(0)?;
    println!(
        "  sent, then recv_bytes: a copy of {} bytes in a new Vec",
        bytes.len()
    );

    println!("Sending with and without a copy, over inproc (varies from run to run):");
    for size in SIZES {
        let count = (args.volume_mb * 1_000_000 / size as u64).clamp(1, MAX_MESSAGES);
        let Some(with_copy) = measure(&sender, &receiver, size, count, Way::Copy)? else {
            return Ok(()); // Ctrl-C
        };
        let Some(without) = measure(&sender, &receiver, size, count, Way::NoCopy)? else {
            return Ok(());
        };
        println!("  {size} bytes, {count} messages:");
        println!("    copied:     {}", figures(with_copy, size, count));
        println!("    not copied: {}", figures(without, size, count));
    }
    Ok(())
}

enum Way {
    /// `send(&data[..])`: ZeroMQ copies the bytes into a message of its own.
    Copy,
    /// `send(data)`: the message takes the Vec's buffer.
    NoCopy,
}

/// Send `count` messages of `size` bytes, each built in a new Vec as an
/// application would, and receive them; the seconds it took, or None on Ctrl-C.
fn measure(
    sender: &zmq::Socket,
    receiver: &zmq::Socket,
    size: usize,
    count: u64,
    way: Way,
) -> anyhow::Result<Option<f64>> {
    let start = Instant::now();
    for n in 0..count {
        if workbook::interrupted() {
            return Ok(None);
        }
        let data = vec![n as u8; size];
        match way {
            Way::Copy => sender.send(&data[..], 0)?,
            Way::NoCopy => sender.send(data, 0)?,
        }
        // Read each message back at once: the queue never fills, so the
        // send never waits, and the time is that of both ends.
        receiver.recv_msg(0)?;
    }
    Ok(Some(start.elapsed().as_secs_f64()))
}
// ANCHOR_END: main

/// "yes" if the message's bytes are at `address`.
fn same(message: &zmq::Message, address: *const u8) -> &'static str {
    if message.as_ptr() == address {
        "yes"
    } else {
        "no"
    }
}

/// Microseconds per message and megabytes a second.
fn figures(seconds: f64, size: usize, count: u64) -> String {
    let micros = seconds * 1e6 / count as f64;
    let megabytes = (size as u64 * count) as f64 / 1e6 / seconds;
    format!("{micros:.2} µs per message, {megabytes:.0} MB/s")
}
