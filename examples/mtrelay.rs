//! Multithreaded relay: three steps, each a thread, and each signals the next
//! over a pair of PAIR sockets on inproc://, one context between them. The last
//! step prints "Test successful!" once the signals have come through.
//!
//! Run it:            cargo run --example mtrelay
//! Or as the lesson:  cargo run -- run mtrelay
//! It exits by itself, at once.

use clap::Parser;

/// Multithreaded relay: step 1 signals step 2, which signals step 3, over PAIR sockets.
#[derive(Parser)]
struct Args {}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(_args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Bind the inproc socket before starting step 2, which connects to it.
    let receiver = context.socket(zmq::PAIR)?;
    workbook::bind(&receiver, "inproc://step3")?;
    let thread = {
        let context = context.clone();
        std::thread::spawn(move || step2(&context))
    };

    // Wait for the signal (false if Ctrl-C came first).
    if workbook::wait_readable(&receiver)? {
        receiver.recv_bytes(0)?;
        println!("Test successful!");
    }
    workbook::join(thread)
}

fn step2(context: &zmq::Context) -> anyhow::Result<()> {
    // Bind the inproc socket before starting step 1, which connects to it.
    let receiver = context.socket(zmq::PAIR)?;
    workbook::bind(&receiver, "inproc://step2")?;
    let thread = {
        let context = context.clone();
        std::thread::spawn(move || step1(&context))
    };

    // Wait for the signal, then pass it on.
    if workbook::wait_readable(&receiver)? {
        receiver.recv_bytes(0)?;
        drop(receiver);

        // Connect to step 3 and tell it we're ready.
        let xmitter = context.socket(zmq::PAIR)?;
        workbook::connect(&xmitter, "inproc://step3")?;
        println!("Step 2 ready, signaling step 3");
        xmitter.send("READY", 0)?;
    }
    workbook::join(thread)
}

fn step1(context: &zmq::Context) -> anyhow::Result<()> {
    // Connect to step 2 and tell it we're ready.
    let xmitter = context.socket(zmq::PAIR)?;
    workbook::connect(&xmitter, "inproc://step2")?;
    println!("Step 1 ready, signaling step 2");
    xmitter.send("READY", 0)?;
    Ok(())
}
// ANCHOR_END: main
