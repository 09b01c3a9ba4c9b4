//! Request-reply broker: clients connect to a ROUTER socket (the frontend),
//! workers to a DEALER socket (the backend), and a poll loop passes every
//! message, frame by frame, from one to the other, both ways.
//!
//! Run it:      cargo run --example rrbroker
//! Then workers and clients, in other terminals:
//!   cargo run --example rrworker
//!   cargo run --example rrclient
//! Or a broker, two workers and two clients at once: cargo run -- run shared-queue
//! Ctrl-C stops it.

use clap::Parser;

/// Request-reply broker: ROUTER for clients, DEALER for workers, a poll loop between.
#[derive(Parser)]
struct Args {
    /// Where clients connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5559")]
    frontend: String,
    /// Where workers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5560")]
    backend: String,
    /// Take no request until this many workers are connected (by default,
    /// take requests at once, as the guide's broker does).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    // Prepare our context and sockets.
    let context = zmq::Context::new();
    let frontend = context.socket(zmq::ROUTER)?;
    let backend = context.socket(zmq::DEALER)?;
    let mut workers = workbook::PeerWatch::new(&context, &backend)?;
    workbook::bind(&frontend, &args.frontend)?;
    workbook::bind(&backend, &args.backend)?;

    // A DEALER deals each request to the next of the workers connected at
    // that moment: take requests before every worker is there, and the first
    // ones get more than their share.
    if let Some(count) = args.workers {
        let s = if count == 1 { "" } else { "s" };
        println!("Waiting for {count} worker{s} to connect…");
        if !workers.wait_for(count)? {
            return Ok(()); // Ctrl-C
        }
    }

    // Switch messages between the two sockets.
    loop {
        let mut items = [
            frontend.as_poll_item(zmq::POLLIN),
            backend.as_poll_item(zmq::POLLIN),
        ];
        if !workbook::poll(&mut items)? {
            break; // Ctrl-C
        }
        if items[0].is_readable() {
            // With no worker connected, a DEALER cannot send: wait for one.
            if !workbook::wait_writable(&backend)? {
                break;
            }
            forward(&frontend, &backend)?;
        }
        if items[1].is_readable() {
            forward(&backend, &frontend)?;
        }
    }
    Ok(())
}

/// Pass one message on, every frame of it, in order: a frame with more to
/// come goes on with SNDMORE, so the other side gets the message whole.
fn forward(from: &zmq::Socket, to: &zmq::Socket) -> zmq::Result<()> {
    loop {
        let frame = from.recv_msg(0)?;
        let more = frame.get_more();
        to.send(frame, if more { zmq::SNDMORE } else { 0 })?;
        if !more {
            return Ok(()); // That was the last frame.
        }
    }
}
// ANCHOR_END: main
