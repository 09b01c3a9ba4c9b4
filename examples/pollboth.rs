//! Poll two sockets at once: a PULL socket connected to the pusher and a SUB
//! socket connected to the random-number publisher, read by one thread with
//! `zmq::poll`. Each line says which socket the message came from; after two
//! seconds with nothing on either, it says so.
//!
//! Run it:      cargo run --example pollboth
//!              cargo run --example pollboth -- --count 9   (nine messages, then exit)
//! With, in two other terminals: cargo run --example pusher
//!                               cargo run --example randpub
//! Or all three at once:         cargo run -- run first-poll
//! Ctrl-C stops it.

use clap::Parser;

/// Poll a PULL and a SUB socket at once; print each message with its socket.
#[derive(Parser)]
struct Args {
    /// The pusher, for the PULL socket.
    #[arg(long, default_value = "tcp://localhost:9399")]
    pull: String,
    /// The publisher, for the SUB socket.
    #[arg(long, default_value = "tcp://localhost:8999")]
    sub: String,
    /// How long a poll waits before it says that nothing came.
    #[arg(long, default_value_t = 2000)]
    timeout_ms: u64,
    /// Exit after this many messages, from both sockets together (without
    /// it, read until Ctrl-C).
    #[arg(long)]
    count: Option<u64>,
    /// Exit the first time a poll times out.
    #[arg(long)]
    exit_when_quiet: bool,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let pull = context.socket(zmq::PULL)?;
    workbook::connect(&pull, &args.pull)?;
    let sub = context.socket(zmq::SUB)?;
    workbook::connect(&sub, &args.sub)?;
    sub.set_subscribe(b"")?;

    // One poll item per socket: the poll returns as soon as either has a
    // message, or when the timeout has gone by.
    let mut items = [
        pull.as_poll_item(zmq::POLLIN),
        sub.as_poll_item(zmq::POLLIN),
    ];
    let sockets = [(&pull, "PULL"), (&sub, "SUB")];
    let mut received = 0;
    while args.count.is_none_or(|count| received < count) {
        match workbook::poll_for(&mut items, args.timeout_ms)? {
            workbook::Waited::Ready => {}
            workbook::Waited::TimedOut => {
                println!("Nothing on either socket for {} ms", args.timeout_ms);
                if args.exit_when_quiet {
                    break;
                }
                continue;
            }
            workbook::Waited::Interrupted => break,
        }
        // Both may be ready: take one message from each that is.
        for (item, (socket, name)) in items.iter().zip(sockets) {
            if !item.is_readable() || args.count.is_some_and(|count| received >= count) {
                continue;
            }
            match workbook::text(socket.recv_multipart(0)?) {
                Ok(text) => {
                    println!("From {name}: {text}");
                    received += 1;
                }
                Err(malformed) => malformed.report(),
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
