//! Topic subscriber: a SUB socket subscribes to one zipcode's temperatures,
//! prints five of them as they come, then their average.
//!
//! Run it:      cargo run --example topicsub                     (zipcode 10001)
//!              cargo run --example topicsub -- --zipcode 10002
//! It needs the publisher: cargo run --example topicpub in another terminal.
//! Or both at once:        cargo run -- run topic-averages
//! Ctrl-C stops it while it waits.

use clap::Parser;

/// Topic subscriber: connects SUB to one zipcode, averages five temperatures.
#[derive(Parser)]
struct Args {
    /// The topic publisher.
    #[arg(long, default_value = "tcp://localhost:5556")]
    connect: String,
    /// The zipcode to subscribe to.
    #[arg(long, default_value_t = 10001)]
    zipcode: u32,
    /// How many temperatures to average (at least one).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    count: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let subscriber = context.socket(zmq::SUB)?;
    workbook::connect(&subscriber, &args.connect)?;

    // The topic: the zipcode and the space after it. Without the space,
    // "1000" would match every zipcode from 10000 to 10009.
    let topic = format!("{} ", args.zipcode);
    subscriber.set_subscribe(topic.as_bytes())?;
    println!(
        "Collecting {} temperatures for zipcode {}",
        args.count, args.zipcode
    );

    let mut total = 0;
    let mut received = 0;
    while received < args.count {
        if !workbook::wait_readable(&subscriber)? {
            return Ok(()); // Ctrl-C
        }
        let update = workbook::text(subscriber.recv_multipart(0)?);
        match update.and_then(|text| temperature_of(&text, &topic)) {
            Ok(temperature) => {
                println!("{}: {temperature}F", args.zipcode);
                total += i64::from(temperature);
                received += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    let average = total as f64 / f64::from(received);
    println!(
        "Average temperature for zipcode {} was {average:.1}F",
        args.zipcode
    );
    Ok(())
}

/// The temperature in an update "zipcode temperature", whose topic (the
/// zipcode and a space) is the one we subscribed to.
fn temperature_of(update: &str, topic: &str) -> Result<i32, workbook::Malformed> {
    let temperature = update
        .strip_prefix(topic)
        .ok_or_else(|| workbook::Malformed(format!("{update:?} does not start with {topic:?}")))?;
    workbook::parse(temperature, "a temperature")
}
// ANCHOR_END: main
