//! Fair-queuing reader: one PULL socket connected to several senders
//! (fqsender), each of which sends its messages and leaves. Once they have all
//! left, the reader reads what they sent, and fair queuing hands it one message
//! from each sender in turn. With --subscribe, a SUB socket does the same with
//! publishers.
//!
//! Run it, with three senders (see fqsender): cargo run --example fqreader
//! Or the reader and three senders at once:   cargo run -- run fair-queuing
//! With publishers and a subscriber:          cargo run -- run sub-fair-queuing
//! Ctrl-C stops it while it waits.

use std::collections::BTreeMap;

use clap::Parser;

/// Fair-queuing reader: connects PULL (or SUB) to every sender, waits for them to leave, reads.
#[derive(Parser)]
struct Args {
    /// A sender to connect to; give it once per sender (in this order).
    #[arg(
        long,
        default_values = [
            "tcp://localhost:5575",
            "tcp://localhost:5576",
            "tcp://localhost:5577",
        ]
    )]
    connect: Vec<String>,
    /// Subscribe to publishers (fqsender --publish) instead of pulling.
    #[arg(long)]
    subscribe: bool,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let reader = if args.subscribe {
        let subscriber = context.socket(zmq::SUB)?;
        subscriber.set_subscribe(b"")?; // Every message.
        subscriber
    } else {
        context.socket(zmq::PULL)?
    };
    // One socket, several connections: one queue per sender.
    let mut senders = workbook::PeerWatch::new(&context, &reader)?;
    for endpoint in &args.connect {
        workbook::connect(&reader, endpoint)?;
    }

    // Fair queuing decides only between messages that wait at the same time.
    // So let every sender send all it has and leave: what it sent stays
    // queued here, in its own queue.
    let n = args.connect.len();
    let s = if n == 1 { "" } else { "s" };
    println!("Waiting for {n} sender{s} to send their messages and leave…");
    if !senders.wait_for_departures(n)? {
        return Ok(()); // Ctrl-C
    }

    // Read until every queue is empty: the socket takes one message from
    // each sender's queue in turn.
    let mut counts = BTreeMap::new();
    loop {
        let frames = match reader.recv_multipart(zmq::DONTWAIT) {
            Ok(frames) => frames,
            Err(zmq::Error::EAGAIN) => break, // Nothing left.
            Err(error) => return Err(error.into()),
        };
        match sender_and_text(frames) {
            Ok((sender, text)) => {
                println!("{sender}: {text}");
                *counts.entry(sender).or_insert(0) += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    for (sender, count) in counts {
        println!("{count} from {sender}");
    }
    Ok(())
}
// ANCHOR_END: main

/// The sender's name and the text of a two-frame message, both UTF-8.
fn sender_and_text(frames: Vec<Vec<u8>>) -> Result<(String, String), workbook::Malformed> {
    let [sender, text]: [Vec<u8>; 2] = frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
        workbook::Malformed(format!(
            "{} frames, expected 2 (sender, text)",
            frames.len()
        ))
    })?;
    Ok((workbook::text(vec![sender])?, workbook::text(vec![text])?))
}
