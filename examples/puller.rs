//! Puller: a PULL socket takes the pusher's tasks, prints each, and exits at
//! "END", the end of the batch.
//!
//! Run it:      cargo run --example puller
//! It needs the pusher: cargo run --example pusher in another terminal.
//! Or both at once:     cargo run -- run first-pipeline
//! Ctrl-C stops it.

use clap::Parser;

/// Puller: connects PULL, prints each task until "END".
#[derive(Parser)]
struct Args {
    /// The pusher.
    #[arg(long, default_value = "tcp://localhost:9399")]
    connect: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let puller = context.socket(zmq::PULL)?;
    workbook::connect(&puller, &args.connect)?;

    let mut tasks = 0;
    loop {
        if !workbook::wait_readable(&puller)? {
            return Ok(()); // Ctrl-C
        }
        match workbook::text(puller.recv_multipart(0)?).as_deref() {
            Ok("END") => break,
            Ok(task) if task.starts_with("task ") => {
                println!("Received {task}");
                tasks += 1;
            }
            Ok(other) => workbook::Malformed(format!("{other:?}, expected a task or END")).report(),
            Err(malformed) => malformed.report(),
        }
    }
    println!("END after {tasks} tasks");
    Ok(())
}
// ANCHOR_END: main
