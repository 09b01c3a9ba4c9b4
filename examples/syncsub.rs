//! Synchronised subscriber: it subscribes, waits for proof that its
//! subscription is live (a first message from the publisher), tells the
//! publisher it is ready (REQ-REP), then counts the updates until "END".
//!
//! Run it:      cargo run --example syncsub
//!              cargo run --example syncsub -- --no-sync   (skip the handshake)
//! It needs the publisher: cargo run --example syncpub in another terminal.
//! Or all at once:         cargo run -- run syncpub
//! Ctrl-C stops it.

use clap::Parser;

/// Synchronised subscriber: connects SUB and REQ, synchronises, counts updates.
#[derive(Parser)]
struct Args {
    /// The publisher's PUB socket.
    #[arg(long, default_value = "tcp://localhost:5561")]
    connect: String,
    /// The publisher's synchronisation service (REP).
    #[arg(long, default_value = "tcp://localhost:5562")]
    sync: String,
    /// Do not synchronise: count what arrives until "END", or until the
    /// publisher has been quiet for a second.
    #[arg(long)]
    no_sync: bool,
}

/// Without synchronisation, how long a silence means the publisher is done.
const QUIET_MS: u64 = 1000;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // First, connect our subscriber socket.
    let subscriber = context.socket(zmq::SUB)?;
    workbook::connect(&subscriber, &args.connect)?;
    subscriber.set_subscribe(b"")?;

    if !args.no_sync {
        // Second, wait until the publisher's "Hello" arrives: then our
        // subscription has reached it. Connecting is not enough, and no
        // length of sleep is proof.
        if !workbook::wait_readable(&subscriber)? {
            return Ok(()); // Ctrl-C
        }
        // Third, synchronise with the publisher: an empty request, and
        // its empty reply once it has counted us.
        let syncclient = context.socket(zmq::REQ)?;
        workbook::connect(&syncclient, &args.sync)?;
        syncclient.send("", 0)?;
        if !workbook::wait_readable(&syncclient)? {
            return Ok(());
        }
        syncclient.recv_multipart(0)?;
    }

    // Fourth, get our updates until END and report how many we got.
    // Unsynchronised, the END may have gone by before we joined: then a
    // second's silence ends the count.
    let patience = if args.no_sync { QUIET_MS } else { u64::MAX };
    let mut update_nbr = 0;
    loop {
        match workbook::wait_readable_for(&subscriber, patience)? {
            workbook::Waited::Ready => {}
            workbook::Waited::TimedOut => break,
            workbook::Waited::Interrupted => return Ok(()),
        }
        match workbook::text(subscriber.recv_multipart(0)?).as_deref() {
            Ok("END") => break,
            Ok("Rhubarb") => update_nbr += 1,
            // Said to the subscribers still joining; not an update.
            Ok("Hello") => {}
            Ok(other) => workbook::Malformed(format!("{other:?}, expected an update")).report(),
            Err(malformed) => malformed.report(),
        }
    }
    println!("Received {update_nbr} updates");
    Ok(())
}
// ANCHOR_END: main
