//! Topic publisher: a PUB socket publishes a temperature for one of three
//! zipcodes, 10000, 10001 or 10002, every 100 ms, as "zipcode temperature".
//! Subscribers choose their zipcode with a subscription: the topic is the
//! start of the message.
//!
//! Run it:      cargo run --example topicpub
//! Then, in another terminal, a subscriber: cargo run --example topicsub
//! Or both at once:                         cargo run -- run topic-averages
//! Ctrl-C stops it.

use clap::Parser;

/// Topic publisher: binds PUB, publishes "zipcode temperature" for 10000–10002.
#[derive(Parser)]
struct Args {
    /// Where subscribers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5556")]
    bind: String,
    /// The pause between two updates, in milliseconds.
    #[arg(long, default_value_t = 100)]
    interval_ms: u64,
    /// Seed the random generator, to repeat a run exactly.
    #[arg(long)]
    seed: Option<u64>,
}

/// The zipcodes it publishes for: 10000, 10001 and 10002.
const FIRST_ZIPCODE: u32 = 10_000;
const ZIPCODES: u32 = 3;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    workbook::bind(&publisher, &args.bind)?;
    println!(
        "Publishing temperatures for zipcodes {FIRST_ZIPCODE} to {}, one every {} ms",
        FIRST_ZIPCODE + ZIPCODES - 1,
        args.interval_ms
    );

    let mut rng = workbook::generator(args.seed);
    loop {
        let zipcode = FIRST_ZIPCODE + workbook::randof(&mut rng, ZIPCODES);
        let temperature = workbook::randof(&mut rng, 215) as i32 - 80;
        // The zipcode comes first: a subscription matches the start of a
        // message, so the zipcode is the topic.
        match publisher.send(&format!("{zipcode} {temperature}"), 0) {
            Ok(()) | Err(zmq::Error::EINTR) => {}
            Err(error) => return Err(error.into()),
        }
        if !workbook::sleep_ms(args.interval_ms) {
            return Ok(()); // Ctrl-C
        }
    }
}
// ANCHOR_END: main
