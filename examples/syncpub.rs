//! Synchronised publisher: it waits until its ten subscribers have said they
//! are ready, then broadcasts a million updates and "END", so that every
//! subscriber gets every update. Until then it says "Hello" every few
//! milliseconds: a subscriber that hears it knows its subscription has reached
//! the publisher, and only then asks to synchronise (REQ-REP on a second port).
//!
//! Run it:      cargo run --example syncpub
//! Then, in ten other terminals (or with --subscribers N, in N):
//!              cargo run --example syncsub
//! Or all at once:  cargo run -- run syncpub
//! Ctrl-C stops it while it waits.

use clap::Parser;

/// Synchronised publisher: binds PUB and REP, waits for N subscribers, broadcasts.
#[derive(Parser)]
struct Args {
    /// Where subscribers connect their SUB socket.
    #[arg(long, default_value = "tcp://127.0.0.1:5561")]
    bind: String,
    /// Where subscribers say they are ready (REQ-REP).
    #[arg(long, default_value = "tcp://127.0.0.1:5562")]
    sync: String,
    /// How many subscribers to wait for; 0 broadcasts at once, unsynchronised.
    #[arg(long, default_value_t = 10)]
    subscribers: u32,
    /// How many updates to broadcast before "END".
    #[arg(long, default_value_t = 1_000_000)]
    updates: u32,
}

/// How often "Hello" goes out while subscribers are still joining.
const HELLO_INTERVAL_MS: u64 = 10;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to talk to clients. A subscriber that falls behind has its
    // updates queued here, up to the high-water mark, and the rest dropped:
    // the mark is above the number of updates, so none is dropped.
    let publisher = context.socket(zmq::PUB)?;
    publisher.set_sndhwm(1_100_000)?;
    workbook::bind(&publisher, &args.bind)?;

    // Socket to receive signals.
    let syncservice = context.socket(zmq::REP)?;
    workbook::bind(&syncservice, &args.sync)?;

    // Get synchronisation from subscribers. Say "Hello" until each has asked:
    // a subscriber asks only once it has heard one, so its subscription is
    // live here, and it will get everything published from now on.
    println!("Waiting for subscribers");
    let mut subscribers = 0;
    while subscribers < args.subscribers {
        publisher.send("Hello", 0)?;
        match workbook::wait_readable_for(&syncservice, HELLO_INTERVAL_MS)? {
            workbook::Waited::Ready => {}
            workbook::Waited::TimedOut => continue, // time for another Hello
            workbook::Waited::Interrupted => return Ok(()),
        }
        // A synchronisation request is one empty frame. REP must answer
        // every request before the next, so even a malformed one gets its
        // reply; only a good one counts.
        let request = syncservice.recv_multipart(0)?;
        syncservice.send("", 0)?;
        match workbook::text(request).as_deref() {
            Ok("") => subscribers += 1,
            Ok(other) => workbook::Malformed(format!("{other:?}, expected \"\"")).report(),
            Err(malformed) => malformed.report(),
        }
    }

    // Now broadcast exactly the updates, followed by END.
    println!("Broadcasting messages");
    for _ in 0..args.updates {
        publisher.send("Rhubarb", 0)?;
    }
    publisher.send("END", 0)?;
    // Dropping the sockets and the context waits until every queued update
    // has gone out (the default linger: for ever).
    Ok(())
}
// ANCHOR_END: main
