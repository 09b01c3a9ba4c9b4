//! Multipart messages: a message of several frames is delivered whole or not at
//! all. Frames sent with SNDMORE wait in the sender until the last one; the
//! receiver reads them one by one (each says whether more follow) or all at
//! once; a message left unfinished when its socket closes never arrives. And a
//! zero-length message is a message too: here it is a "done" signal.
//!
//! One process, its sockets joined over inproc://.
//!
//! Run it:            cargo run --example multipart
//! Or as the lesson:  cargo run -- run messages
//! It exits by itself, at once.

use clap::Parser;

/// Multipart messages: frames, atomic delivery, and zero-length messages as signals.
#[derive(Parser)]
struct Args {}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(_args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    workbook::bind(&receiver, "inproc://multipart")?;
    let sender = context.socket(zmq::PUSH)?;
    workbook::connect(&sender, "inproc://multipart")?;

    println!("Sending a message of 3 frames, one frame at a time:");
    let frames: [&str; 3] = ["key", "", "the contents"];
    for (n, frame) in frames.iter().enumerate() {
        let last = n + 1 == frames.len();
        // SNDMORE on every frame but the last: the message is not finished.
        sender.send(*frame, if last { 0 } else { zmq::SNDMORE })?;
        let flag = if last { "the last" } else { "with SNDMORE" };
        // A poll that does not wait: is anything there for the receiver yet?
        let arrived = if receiver.poll(zmq::POLLIN, 0)? > 0 {
            "the message has arrived"
        } else {
            "nothing has arrived"
        };
        println!(
            "  frame {}, {}, {flag}: {arrived}",
            n + 1,
            shown(frame.as_bytes())
        );
    }

    println!("Receiving it one frame at a time:");
    let mut n = 1;
    loop {
        let frame = receiver.recv_msg(0)?;
        // get_more: another frame of the same message follows.
        let more = frame.get_more();
        println!(
            "  frame {n}: {}, more to come: {}",
            shown(&frame),
            yes_no(more)
        );
        if !more {
            break;
        }
        n += 1;
    }

    println!("The same message with send_multipart and recv_multipart:");
    sender.send_multipart(frames, 0)?;
    let message = receiver.recv_multipart(0)?;
    let sizes: Vec<String> = message.iter().map(|f| f.len().to_string()).collect();
    println!("  {} frames, of {} bytes", message.len(), sizes.join(", "));

    println!("A message abandoned half-way: two frames with SNDMORE, then the socket closed:");
    let quitter = context.socket(zmq::PUSH)?;
    workbook::connect(&quitter, "inproc://multipart")?;
    quitter.send("never", zmq::SNDMORE)?;
    quitter.send("finished", zmq::SNDMORE)?;
    drop(quitter); // ZeroMQ throws the unfinished message away.
    sender.send("whole", 0)?;
    let message = receiver.recv_multipart(0)?;
    let shown: Vec<String> = message.iter().map(|f| shown(f)).collect();
    println!(
        "  the next message to arrive: {} frame, {}",
        message.len(),
        shown.join(", ")
    );

    println!("Zero-length messages as signals:");
    signals(&context)
}

/// A worker thread sends three results, then an empty message: "done".
fn signals(context: &zmq::Context) -> anyhow::Result<()> {
    let results = context.socket(zmq::PAIR)?;
    workbook::bind(&results, "inproc://results")?;
    let worker = {
        let context = context.clone();
        std::thread::spawn(move || -> zmq::Result<()> {
            let results = context.socket(zmq::PAIR)?;
            results.connect("inproc://results")?;
            for n in 1..=3 {
                results.send(format!("result {n}").as_str(), 0)?;
            }
            results.send("", 0) // The signal: a message of no bytes.
        })
    };
    while workbook::wait_readable(&results)? {
        let message = results.recv_msg(0)?;
        if message.is_empty() {
            println!("  0 bytes: the worker is done");
            break;
        }
        println!("  {}", shown(&message));
    }
    worker
        .join()
        .map_err(|_| anyhow::anyhow!("the worker panicked"))??;
    Ok(())
}
// ANCHOR_END: main

/// A frame as text in quotes, with its size: `"key" (3 bytes)`.
fn shown(frame: &[u8]) -> String {
    format!(
        "{:?} ({} bytes)",
        String::from_utf8_lossy(frame),
        frame.len()
    )
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}
