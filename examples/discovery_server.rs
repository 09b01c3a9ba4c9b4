//! Discovery, the command server: it publishes a configure command on PUB to
//! whatever computers are listening, and collects their answers on PULL. It
//! does not know how many computers there are: it repeats the command until
//! the answers stop coming for a while, then says who answered, and exits.
//!
//! Run it:      cargo run --example discovery_server
//! With computers (and a saver) in other terminals:
//!              cargo run --example discovery_computer
//!              cargo run --example discovery_saver
//! Or all at once:  cargo run -- run discovery
//! Ctrl-C stops it while it waits for answers.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use clap::Parser;
use rand::Rng as _;

/// Command server: publishes CONFIGURE on PUB, collects answers on PULL.
#[derive(Parser)]
struct Args {
    /// Where the computers subscribe to commands (PUB).
    #[arg(long, default_value = "tcp://127.0.0.1:5570")]
    commands: String,
    /// Where the computers send their answers (PULL).
    #[arg(long, default_value = "tcp://127.0.0.1:5571")]
    answers: String,
    /// The setting to send: the computers' pause between two results.
    #[arg(long, default_value_t = 100)]
    pause_ms: u64,
    /// How long without an answer means every computer has answered.
    #[arg(long, default_value_t = 2000)]
    quiet_ms: u64,
}

/// How often the command goes out again, for computers still joining.
const REPEAT_MS: u64 = 100;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    workbook::bind(&publisher, &args.commands)?;
    let answers = context.socket(zmq::PULL)?;
    workbook::bind(&answers, &args.answers)?;

    // A computer that subscribes after a command went out never sees it (a
    // slow joiner), so the command is repeated until the answers stop. Its
    // number, fresh for each run, lets a computer apply it once however
    // often it hears it.
    let number: u32 = workbook::generator(None).random();
    let setting = format!("pause-ms={}", args.pause_ms);
    let command = format!("CONFIGURE {number} {setting}");
    println!("Publishing CONFIGURE {setting} until the answers stop");

    let quiet = Duration::from_millis(args.quiet_ms);
    let mut answered = BTreeSet::new();
    let mut last_answer = Instant::now();
    loop {
        let silent_for = last_answer.elapsed();
        if silent_for >= quiet {
            break;
        }
        publisher.send(command.as_str(), 0)?;
        let wait = (quiet - silent_for).min(Duration::from_millis(REPEAT_MS));
        match workbook::wait_readable_for(&answers, wait.as_millis() as u64)? {
            workbook::Waited::Ready => {}
            workbook::Waited::TimedOut => continue, // time to repeat it
            workbook::Waited::Interrupted => return Ok(()),
        }
        // An answer is two frames: who answers, and what it did.
        match answer(answers.recv_multipart(0)?, number) {
            Ok((computer, applied)) => {
                println!("{computer} answered: {applied}");
                answered.insert(computer);
                last_answer = Instant::now();
            }
            Err(malformed) => malformed.report(),
        }
    }

    let names: Vec<String> = answered.into_iter().collect();
    println!(
        "No answer for {} ms: {} computers answered: {}",
        args.quiet_ms,
        names.len(),
        names.join(", ")
    );
    Ok(())
}
// ANCHOR_END: main

/// An answer: [computer, "NUMBER SETTING"], for our command's number.
fn answer(frames: Vec<Vec<u8>>, number: u32) -> Result<(String, String), workbook::Malformed> {
    let [computer, what]: [Vec<u8>; 2] = frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
        workbook::Malformed(format!("{} frames, expected 2", frames.len()))
    })?;
    let computer = workbook::text(vec![computer])?;
    let what = workbook::text(vec![what])?;
    let (answered, applied) = what
        .split_once(' ')
        .ok_or_else(|| workbook::Malformed(format!("{what:?} is not \"NUMBER SETTING\"")))?;
    if answered != number.to_string() {
        return Err(workbook::Malformed(format!(
            "{computer} answered command {answered}, not {number}"
        )));
    }
    Ok((computer, applied.to_string()))
}
