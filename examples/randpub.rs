//! Random-number publisher: a PUB socket sends a random number from 0 to 99,
//! as text, once a second, to whoever subscribes. The first of the "first
//! steps" case study's four patterns.
//!
//! Run it:      cargo run --example randpub
//!              cargo run --example randpub -- --seed 42   (the same numbers every run)
//! Then, in another terminal, the subscriber: cargo run --example randsub
//! Or both at once:                           cargo run -- run first-pubsub
//! Ctrl-C stops it.

use clap::Parser;

/// Random-number publisher: binds PUB, sends a number from 0 to 99 at each interval.
#[derive(Parser)]
struct Args {
    /// Where subscribers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:8999")]
    bind: String,
    /// Milliseconds between two numbers.
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
    /// Seed the random numbers, to get the same ones on every run.
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    workbook::bind(&publisher, &args.bind)?;
    let mut rng = workbook::generator(args.seed);

    println!(
        "Publishing a number from 0 to 99 every {} ms",
        args.interval_ms
    );
    loop {
        // A PUB socket never waits: with no subscriber yet, the number is
        // dropped, and the next one goes to whoever has subscribed by then.
        let number = workbook::randof(&mut rng, 100);
        publisher.send(number.to_string().as_str(), 0)?;
        if !workbook::sleep_ms(args.interval_ms) {
            break; // Ctrl-C
        }
    }
    Ok(())
}
// ANCHOR_END: main
