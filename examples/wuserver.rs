//! Weather update server: a PUB socket publishes random weather updates forever.
//!
//! Run it:      cargo run --example wuserver
//! Then, in another terminal, a client: cargo run --example wuclient
//! Or both at once:                     cargo run -- run weather
//! Ctrl-C stops it.

use clap::Parser;

/// Weather update server: binds PUB, publishes "zipcode temperature humidity".
#[derive(Parser)]
struct Args {
    /// Where subscribers connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5556")]
    bind: String,
    /// Seed the random generator, to repeat a run exactly.
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

    // Make up random numbers, but the same ones for the same seed.
    let mut rng = workbook::generator(args.seed);
    while !workbook::interrupted() {
        let zipcode = workbook::randof(&mut rng, 100_000);
        let temperature = workbook::randof(&mut rng, 215) as i32 - 80;
        let relhumidity = workbook::randof(&mut rng, 50) + 10;

        // Send the message to all subscribers. Ctrl-C can interrupt the send
        // itself (EINTR); then the loop's test sees the flag and stops.
        let update = format!("{zipcode:05} {temperature} {relhumidity}");
        match publisher.send(&update, 0) {
            Ok(()) | Err(zmq::Error::EINTR) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
// ANCHOR_END: main
