//! Fair-queuing sender: waits for the reader (fqreader) to connect, sends its
//! messages, each under its name, and leaves. A PUSH socket by default, for a
//! PULL reader; with --publish, a publisher, for a SUB reader.
//!
//! Run three, one per terminal:
//!   cargo run --example fqsender -- --name A
//!   cargo run --example fqsender -- --name B --bind tcp://127.0.0.1:5576
//!   cargo run --example fqsender -- --name C --bind tcp://127.0.0.1:5577
//! and the reader, connected to all three: cargo run --example fqreader
//! Or the reader and three senders at once: cargo run -- run fair-queuing
//! With publishers and a subscriber:        cargo run -- run sub-fair-queuing
//! Ctrl-C stops it while it waits for the reader.

use clap::Parser;

/// Fair-queuing sender: binds PUSH (or PUB), waits for the reader, sends, leaves.
#[derive(Parser)]
struct Args {
    /// Where the reader connects.
    #[arg(long, default_value = "tcp://127.0.0.1:5575")]
    bind: String,
    /// Its name: the first frame of each of its messages.
    #[arg(long, default_value = "A")]
    name: String,
    /// How many messages to send.
    #[arg(long, default_value_t = 4)]
    count: u32,
    /// Publish to a subscriber (fqreader --subscribe) instead of pushing.
    #[arg(long)]
    publish: bool,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let sender;
    if args.publish {
        // An XPUB socket publishes like PUB, and also hands us each
        // subscription as a message. Once the reader's has come, nothing we
        // publish is dropped for want of a subscriber.
        sender = context.socket(zmq::XPUB)?;
        workbook::bind(&sender, &args.bind)?;
        if !workbook::wait_readable(&sender)? {
            return Ok(()); // Ctrl-C
        }
        sender.recv_multipart(0)?; // The subscription.
    } else {
        // A PUSH socket: wait until the reader is connected.
        sender = context.socket(zmq::PUSH)?;
        let mut reader = workbook::PeerWatch::new(&context, &sender)?;
        workbook::bind(&sender, &args.bind)?;
        if !reader.wait_for(1)? {
            return Ok(()); // Ctrl-C
        }
    }
    // On the way out, give the messages a second to leave, no longer.
    sender.set_linger(1000)?;

    // Every message is two frames: the sender's name, then the text.
    for message_nbr in 1..=args.count {
        sender.send(args.name.as_str(), zmq::SNDMORE)?;
        sender.send(format!("message {message_nbr}").as_str(), 0)?;
    }
    println!("{} sent {} messages", args.name, args.count);
    Ok(())
}
// ANCHOR_END: main
