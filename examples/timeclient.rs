//! Time client: a REQ socket asks the time server for the time, and prints
//! its answer; with `--count N`, N times, a second apart.
//!
//! Run it:      cargo run --example timeclient
//!              cargo run --example timeclient -- --count 3
//! It needs the server: cargo run --example timeserver in another terminal.
//! Or both at once:     cargo run -- run first-reqrep
//! Ctrl-C stops it.

use clap::Parser;

/// Time client: connects REQ, asks for the time, prints the answer.
#[derive(Parser)]
struct Args {
    /// The time server.
    #[arg(long, default_value = "tcp://localhost:8000")]
    connect: String,
    /// How many times to ask.
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// Milliseconds between an answer and the next request.
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    // Without a server, a request waits in the queue; on Ctrl-C, drop it
    // rather than wait for a server for ever.
    requester.set_linger(0)?;
    workbook::connect(&requester, &args.connect)?;

    for request in 1..=args.count {
        if request > 1 && !workbook::sleep_ms(args.interval_ms) {
            break; // Ctrl-C
        }
        // Send, then wait for the one reply: a REQ socket takes turns.
        requester.send("time", 0)?;
        if !workbook::wait_readable(&requester)? {
            break; // Ctrl-C
        }
        match timestamp(requester.recv_multipart(0)?) {
            Ok(now) => println!("The time is {now} (seconds since 1970-01-01 UTC)"),
            Err(malformed) => malformed.report(),
        }
    }
    Ok(())
}
// ANCHOR_END: main

/// The reply's time: one frame of text, seconds, a point, three digits.
fn timestamp(frames: Vec<Vec<u8>>) -> Result<String, workbook::Malformed> {
    let text = workbook::text(frames)?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('.') {
        Some((seconds, millis)) if digits(seconds) && digits(millis) && millis.len() == 3 => {
            Ok(text)
        }
        _ => Err(workbook::Malformed(format!(
            "{text:?} is not a time in seconds, like \"1760000000.123\""
        ))),
    }
}
