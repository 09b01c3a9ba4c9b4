//! Discovery, a computer: it runs a small computation (estimates of π from
//! seeded random points) and pushes each result to the saver, and at the same
//! time it listens for the command server's commands on SUB and answers each
//! one on PUSH. One poll covers both: a command, or the time for the next result.
//!
//! Run it:      cargo run --example discovery_computer
//! Start several, with the saver and the command server in other terminals:
//!              cargo run --example discovery_saver
//!              cargo run --example discovery_server
//! Or all at once:  cargo run -- run discovery
//! Ctrl-C stops it.

use std::time::{Duration, Instant};

use clap::Parser;
use rand::Rng as _;

/// Computer: computes, pushes results, answers commands.
#[derive(Parser)]
struct Args {
    /// The command server's commands (SUB).
    #[arg(long, default_value = "tcp://localhost:5570")]
    commands: String,
    /// The command server's answers (PUSH).
    #[arg(long, default_value = "tcp://localhost:5571")]
    answers: String,
    /// The saver (PUSH).
    #[arg(long, default_value = "tcp://localhost:5572")]
    results: String,
    /// This computer's name; by default "computer-" and its process id.
    #[arg(long)]
    name: Option<String>,
    /// How many results to compute; then it only answers commands.
    #[arg(long, default_value_t = 5)]
    count: u32,
    /// The pause between two results, until a command sets another.
    #[arg(long, default_value_t = 500)]
    pause_ms: u64,
    /// Random points per estimate.
    #[arg(long, default_value_t = 100_000)]
    points: u32,
    /// Seed for the random points: the same seed, the same results.
    #[arg(long)]
    seed: Option<u64>,
}

/// Results still queued this long after Ctrl-C, for a saver that is not
/// there, are dropped rather than wait for ever.
const LINGER_MS: i32 = 1000;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let name = args
        .name
        .unwrap_or_else(|| format!("computer-{}", std::process::id()));
    let context = zmq::Context::new();
    let commands = context.socket(zmq::SUB)?;
    workbook::connect(&commands, &args.commands)?;
    commands.set_subscribe(b"CONFIGURE ")?;
    let answers = context.socket(zmq::PUSH)?;
    answers.set_linger(LINGER_MS)?;
    workbook::connect(&answers, &args.answers)?;
    let results = context.socket(zmq::PUSH)?;
    results.set_linger(LINGER_MS)?;
    workbook::connect(&results, &args.results)?;

    let mut rng = workbook::generator(args.seed);
    let mut pause = Duration::from_millis(args.pause_ms);
    let mut applied: Option<String> = None; // the last command's number
    let mut sent = 0;
    let mut next_result = Instant::now() + pause;
    loop {
        // Wait for a command, but no longer than until the next result is due.
        let wait = if sent < args.count {
            next_result
                .saturating_duration_since(Instant::now())
                .as_millis() as u64
        } else {
            u64::MAX // computation done: commands only
        };
        match workbook::wait_readable_for(&commands, wait)? {
            workbook::Waited::Interrupted => return Ok(()),
            workbook::Waited::TimedOut => {
                sent += 1;
                let value = estimate_pi(&mut rng, args.points);
                // A result is three frames: who, which one, the value.
                results.send_multipart([name.as_str(), &sent.to_string(), &value], 0)?;
                println!("{name} sent result {sent}: {value}");
                next_result = Instant::now() + pause;
            }
            workbook::Waited::Ready => {
                let command = commands.recv_multipart(0)?;
                match configure(command) {
                    // Heard again: the server repeats it for latecomers.
                    Ok((number, _)) if applied.as_ref() == Some(&number) => {}
                    Ok((number, pause_ms)) => {
                        pause = Duration::from_millis(pause_ms);
                        next_result = next_result.min(Instant::now() + pause);
                        let setting = format!("pause-ms={pause_ms}");
                        answers
                            .send_multipart([name.as_str(), &format!("{number} {setting}")], 0)?;
                        println!("{name} configured: {setting}");
                        applied = Some(number);
                    }
                    Err(malformed) => malformed.report(),
                }
            }
        }
    }
}
// ANCHOR_END: main

/// An estimate of π: the share of random points in the unit square that fall
/// inside the quarter circle, times four. Four decimals.
fn estimate_pi(rng: &mut rand::rngs::StdRng, points: u32) -> String {
    let inside = (0..points)
        .filter(|_| {
            let (x, y): (f64, f64) = (rng.random(), rng.random());
            x * x + y * y <= 1.0
        })
        .count();
    format!("{:.4}", 4.0 * inside as f64 / f64::from(points.max(1)))
}

/// "CONFIGURE NUMBER pause-ms=MS": the command's number, and the pause.
fn configure(frames: Vec<Vec<u8>>) -> Result<(String, u64), workbook::Malformed> {
    let text = workbook::text(frames)?;
    let expected =
        || workbook::Malformed(format!("{text:?} is not \"CONFIGURE NUMBER pause-ms=MS\""));
    let mut words = text.split(' ');
    let (Some("CONFIGURE"), Some(number), Some(setting), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err(expected());
    };
    let pause_ms = setting.strip_prefix("pause-ms=").ok_or_else(expected)?;
    Ok((
        number.to_string(),
        workbook::parse(pause_ms, "a pause in milliseconds")?,
    ))
}
