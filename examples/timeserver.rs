//! Time server: a REP socket answers every request for the time with the
//! current time, in seconds since 1970-01-01 UTC with milliseconds
//! ("1760000000.123").
//!
//! Run it:      cargo run --example timeserver
//! Then, in another terminal, the client: cargo run --example timeclient
//! Or both at once:                       cargo run -- run first-reqrep
//! Ctrl-C stops it.

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;

/// Time server: binds REP, answers "time" with the current time.
#[derive(Parser)]
struct Args {
    /// Where clients connect.
    #[arg(long, default_value = "tcp://127.0.0.1:8000")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let responder = context.socket(zmq::REP)?;
    workbook::bind(&responder, &args.bind)?;

    loop {
        if !workbook::wait_readable(&responder)? {
            break; // Ctrl-C
        }
        let request = responder.recv_multipart(0)?;
        // A REP socket must answer each request before it can take the
        // next: a malformed one gets an empty reply, and is reported.
        match workbook::text(request).as_deref() {
            Ok("time") => {
                let now = timestamp();
                responder.send(now.as_str(), 0)?;
                println!("Sent {now}");
            }
            Ok(other) => {
                responder.send("", 0)?;
                workbook::Malformed(format!("{other:?}, expected \"time\"")).report();
            }
            Err(malformed) => {
                responder.send("", 0)?;
                malformed.report();
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main

/// Now, in seconds since 1970-01-01 UTC, with milliseconds: "1760000000.123".
fn timestamp() -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format!(
        "{}.{:03}",
        since_epoch.as_secs(),
        since_epoch.subsec_millis()
    )
}
