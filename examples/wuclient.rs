//! Weather update client: a SUB socket collects 100 updates for one zipcode and
//! prints their average temperature.
//!
//! Run it:      cargo run --example wuclient            (zipcode 10001)
//!              cargo run --example wuclient -- 10002   (another zipcode)
//! It needs the server: cargo run --example wuserver in another terminal.
//! Or both at once:     cargo run -- run weather

use clap::Parser;

/// Weather update client: connects SUB, averages 100 temperatures for one zipcode.
#[derive(Parser)]
struct Args {
    /// The zipcode to subscribe to: updates whose text starts with it.
    #[arg(default_value = "10001 ")]
    filter: String,
    /// The weather server.
    #[arg(long, default_value = "tcp://localhost:5556")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to talk to the server.
    println!("Collecting updates from weather server…");
    let subscriber = context.socket(zmq::SUB)?;
    workbook::connect(&subscriber, &args.connect)?;

    // Subscribe to the zipcode: the server sends us only updates that start with it.
    subscriber.set_subscribe(args.filter.as_bytes())?;

    // Process 100 updates.
    let mut total_temp: i64 = 0;
    let mut update_nbr: i64 = 0;
    while update_nbr < 100 {
        if !workbook::wait_readable(&subscriber)? {
            return Ok(()); // Ctrl-C
        }
        let update = subscriber.recv_multipart(0)?;
        match workbook::text(update).and_then(|text| temperature_of(&text)) {
            Ok(temperature) => {
                total_temp += i64::from(temperature);
                update_nbr += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    println!(
        "Average temperature for zipcode '{}' was {}F",
        args.filter,
        total_temp / update_nbr
    );
    Ok(())
}

/// The temperature in an update "zipcode temperature relhumidity".
fn temperature_of(update: &str) -> Result<i32, workbook::Malformed> {
    match update.split(' ').collect::<Vec<_>>()[..] {
        [zipcode, temperature, relhumidity] => {
            workbook::parse::<u32>(zipcode, "a zipcode")?;
            workbook::parse::<u32>(relhumidity, "a relative humidity")?;
            workbook::parse(temperature, "a temperature")
        }
        _ => Err(workbook::Malformed(format!(
            "{update:?} is not \"zipcode temperature relhumidity\""
        ))),
    }
}
// ANCHOR_END: main
