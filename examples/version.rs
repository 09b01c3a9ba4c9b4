//! Version reporting: which libzmq this program runs on.
//!
//! Run it: cargo run --example version

use clap::Parser;

/// Version reporting: print the version of the libzmq this program runs on.
#[derive(Parser)]
struct Args {}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(_args: Args) -> anyhow::Result<()> {
    let (major, minor, patch) = zmq::version();
    println!("Current 0MQ version is {major}.{minor}.{patch}");
    Ok(())
}
// ANCHOR_END: main
