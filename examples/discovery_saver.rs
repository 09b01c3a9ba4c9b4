//! Discovery, the saver: it pulls the computers' results and stores each one
//! in SQLite, keyed by computer and sequence number, one transaction per
//! result: a result that comes twice, or again after a restart, is stored
//! once. On Ctrl-C it stores what has already arrived, then exits.
//!
//! Run it:      cargo run --example discovery_saver
//!              cargo run --example discovery_saver -- --db /tmp/results.sqlite
//! With computers in other terminals:  cargo run --example discovery_computer
//! Or all at once:  cargo run -- run discovery
//! Read the results back:  sqlite3 /tmp/zmq-workbook-discovery.sqlite 'SELECT * FROM results'
//! Ctrl-C stops it.

use std::path::PathBuf;

use clap::Parser;

/// Saver: pulls results and stores each one in SQLite, once.
#[derive(Parser)]
struct Args {
    /// Where the computers push their results (PULL).
    #[arg(long, default_value = "tcp://127.0.0.1:5572")]
    bind: String,
    /// The database; by default zmq-workbook-discovery.sqlite in the
    /// temporary folder.
    #[arg(long)]
    db: Option<PathBuf>,
}

/// One row per result; the key makes a second copy of a result a no-op.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS results (
    computer TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (computer, sequence)
)";

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    workbook::bind(&receiver, &args.bind)?;

    let mut store = workbook::Store::open(args.db.as_deref(), "discovery", SCHEMA)?;
    let earlier: i64 =
        store.read(|db| db.query_row("SELECT count(*) FROM results", [], |row| row.get(0)))?;
    println!(
        "Saving results in {} ({earlier} there already)",
        store.path().display()
    );

    let mut stored = 0;
    while workbook::wait_readable(&receiver)? {
        match receiver.recv_multipart(0) {
            Ok(frames) => stored += save(&mut store, frames)?,
            // Ctrl-C can land in the read itself, not only in the wait.
            Err(zmq::Error::EINTR) => break,
            Err(error) => return Err(error.into()),
        }
    }
    // Ctrl-C: what has arrived already is stored too, before we go.
    while let Ok(frames) = receiver.recv_multipart(zmq::DONTWAIT) {
        stored += save(&mut store, frames)?;
    }
    println!("Stored {stored} new results");
    Ok(())
}

/// Store one result, in a transaction of its own; 1 if it was new. A
/// malformed one is reported and skipped; a database error ends the saver.
fn save(store: &mut workbook::Store, frames: Vec<Vec<u8>>) -> anyhow::Result<u32> {
    let (computer, sequence, value) = match result(frames) {
        Ok(result) => result,
        Err(malformed) => {
            malformed.report();
            return Ok(0);
        }
    };
    let inserted = store.write(|transaction| {
        transaction.execute(
            "INSERT OR IGNORE INTO results (computer, sequence, value) VALUES (?1, ?2, ?3)",
            rusqlite::params![computer, sequence, value],
        )
    })?;
    if inserted == 1 {
        println!("stored {computer} #{sequence}: {value:.4}");
    } else {
        println!("{computer} #{sequence} is stored already");
    }
    Ok(inserted as u32)
}
// ANCHOR_END: main

/// A result: [computer, sequence number, value], each a frame of text.
fn result(frames: Vec<Vec<u8>>) -> Result<(String, u32, f64), workbook::Malformed> {
    let [computer, sequence, value]: [Vec<u8>; 3] =
        frames.try_into().map_err(|frames: Vec<Vec<u8>>| {
            workbook::Malformed(format!("{} frames, expected 3", frames.len()))
        })?;
    let computer = workbook::text(vec![computer])?;
    let sequence = workbook::text(vec![sequence])?;
    let value = workbook::text(vec![value])?;
    let sequence = workbook::parse(&sequence, "a sequence number")?;
    let value: f64 = workbook::parse(&value, "a number")?;
    if !value.is_finite() {
        return Err(workbook::Malformed(format!(
            "{value} is not a finite number"
        )));
    }
    Ok((computer, sequence, value))
}
