//! What closing a socket does to the messages it still holds, under each
//! linger setting. A PUSH socket connects where nothing listens yet, queues
//! ten messages, and is closed; then its context is terminated. A PULL peer
//! binds there later and counts what reaches it.
//!
//! Run it:               cargo run --example linger
//! Or the whole lesson:  cargo run -- run bind-connect
//! It exits by itself after about five seconds; Ctrl-C stops it sooner.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Parser;

/// Linger: how many queued messages survive a close, for four settings.
#[derive(Parser)]
struct Args {
    /// Where the sender connects, before anything listens there.
    #[arg(long, default_value = "tcp://localhost:5571")]
    connect: String,
    /// Where the peer binds, after the sender is closed.
    #[arg(long, default_value = "tcp://127.0.0.1:5571")]
    bind: String,
}

/// How many messages the sender queues each round.
const MESSAGES: usize = 10;

/// How long the peer waits for stragglers once the sender's context is gone.
const STRAGGLERS_MS: u64 = 300;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    // (linger in ms, when the peer binds after the close, in ms)
    let rounds = [(0, 200), (1000, 200), (1000, 1500), (-1, 1500)];
    for (round, (linger, late_ms)) in rounds.into_iter().enumerate() {
        let Some((received, ended)) = play(&args, linger, late_ms)? else {
            return Ok(()); // Ctrl-C
        };
        if round == 0 {
            println!("linger          peer binds      received   context terminated after");
        }
        let linger = match linger {
            0 => "0".to_string(),
            -1 => "-1 (for ever)".to_string(),
            ms => format!("{ms} ms"),
        };
        println!(
            "{linger:<15} {:<15} {:<10} {} ms",
            format!("{late_ms} ms later"),
            format!("{received} of {MESSAGES}"),
            ended.as_millis()
        );
    }
    Ok(())
}

/// One round: how many messages the late peer received, and how long the
/// sender's context took to terminate. `None` if Ctrl-C came first.
fn play(args: &Args, linger: i32, late_ms: u64) -> anyhow::Result<Option<(usize, Duration)>> {
    // The sender, in a thread with a context of its own, as another process
    // would have: terminating that context is what waits for the linger.
    let (report, reports) = mpsc::channel();
    let connect = args.connect.clone();
    std::thread::spawn(move || {
        let outcome = (|| -> anyhow::Result<()> {
            let context = zmq::Context::new();
            let sender = context.socket(zmq::PUSH)?;
            sender.set_linger(linger)?;
            workbook::connect(&sender, &connect)?;
            // A connected PUSH has a queue for its peer at once, peer or not.
            for number in 1..=MESSAGES {
                sender.send(number.to_string().as_str(), zmq::DONTWAIT)?;
            }
            drop(sender); // closed, ten messages still queued
            let closed = Instant::now();
            let _ = report.send(Ok(None));
            drop(context); // waits as long as the linger says
            let _ = report.send(Ok(Some(closed.elapsed())));
            Ok(())
        })();
        if let Err(error) = outcome {
            let _ = report.send(Err(error));
        }
    });
    if next_report(&reports)?.is_none() {
        return Ok(None);
    }

    // The peer comes late: the sender is closed, its messages wait or are gone.
    if !workbook::sleep_ms(late_ms) {
        return Ok(None);
    }
    let context = zmq::Context::new();
    let peer = context.socket(zmq::PULL)?;
    workbook::bind(&peer, &args.bind)?;
    // Take messages until all are here, or until the sender's context has
    // ended and nothing more has come for a while.
    let mut received = 0;
    let mut ended: Option<Duration> = None;
    let mut quiet_since = Instant::now();
    while received < MESSAGES {
        if workbook::interrupted() {
            return Ok(None);
        }
        // A signal cuts the poll short (EINTR): look at the flag again.
        let ready = match peer.poll(zmq::POLLIN, 50) {
            Ok(ready) => ready > 0,
            Err(zmq::Error::EINTR) => false,
            Err(error) => return Err(error.into()),
        };
        if ready {
            peer.recv_bytes(0)?;
            received += 1;
            quiet_since = Instant::now();
            continue;
        }
        if ended.is_none()
            && let Ok(report) = reports.try_recv()
        {
            ended = report?;
            quiet_since = Instant::now();
        }
        if ended.is_some() && quiet_since.elapsed() >= Duration::from_millis(STRAGGLERS_MS) {
            break;
        }
    }
    // With every message delivered, the context ends soon after, if not yet.
    let ended = match ended {
        Some(ended) => ended,
        None => match next_report(&reports)? {
            Some(Some(ended)) => ended,
            _ => return Ok(None),
        },
    };
    Ok(Some((received, ended)))
}
// ANCHOR_END: main

/// The sender thread's next report: `Some(None)` once its socket is closed,
/// `Some(Some(time))` once its context has terminated; `None` if Ctrl-C came
/// first.
fn next_report(
    reports: &mpsc::Receiver<anyhow::Result<Option<Duration>>>,
) -> anyhow::Result<Option<Option<Duration>>> {
    loop {
        if workbook::interrupted() {
            return Ok(None);
        }
        match reports.recv_timeout(Duration::from_millis(100)) {
            Ok(report) => return Ok(Some(report?)),
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the sender thread ended without a word")
            }
        }
    }
}
