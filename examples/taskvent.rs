//! Task ventilator: a PUSH socket hands out 100 tasks to workers, round-robin.
//!
//! Run it, after the sink and the workers:
//!   cargo run --example tasksink
//!   cargo run --example taskwork        (in as many terminals as you like)
//!   cargo run --example taskvent        (press Enter once the workers are up)
//! Or let it wait for the workers itself: cargo run --example taskvent -- --workers 3
//! Or the whole pipeline at once:         cargo run -- run pipeline

use clap::Parser;

/// Task ventilator: binds PUSH for workers, connects PUSH to the sink, sends a batch.
#[derive(Parser)]
struct Args {
    /// Where workers connect for tasks.
    #[arg(long, default_value = "tcp://127.0.0.1:5557")]
    bind: String,
    /// The sink, which is told that the batch starts.
    #[arg(long, default_value = "tcp://localhost:5558")]
    sink: String,
    /// Start once this many workers are connected, instead of waiting for Enter.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Seed the random workloads, to repeat a run exactly.
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to send tasks on. Watch it from before the bind, so that every
    // worker that connects is counted.
    let sender = context.socket(zmq::PUSH)?;
    // The guide sleeps a second at the end to let 0MQ deliver. Linger says it
    // directly: on the way out, wait up to a second for queued messages to
    // leave, and no longer (also after Ctrl-C).
    sender.set_linger(1000)?;
    let mut workers = workbook::PeerWatch::new(&context, &sender)?;
    workbook::bind(&sender, &args.bind)?;

    // Socket to tell the sink that the batch starts.
    let sink = context.socket(zmq::PUSH)?;
    sink.set_linger(1000)?;
    workbook::connect(&sink, &args.sink)?;

    // PUSH deals tasks to the workers connected at that moment: start too early
    // and the first worker gets them all.
    match args.workers {
        Some(count) => {
            let s = if count == 1 { "" } else { "s" };
            println!("Waiting for {count} worker{s} to connect…");
            if !workers.wait_for(count)? {
                return Ok(()); // Ctrl-C
            }
        }
        None => {
            println!("Press Enter when the workers are ready: ");
            if !workbook::wait_for_enter()? {
                return Ok(()); // Ctrl-C
            }
        }
    }
    println!("Sending tasks to workers…");

    // The first message is "0" and signals start of batch.
    sink.send("0", 0)?;

    // Send 100 tasks, each a workload of 1 to 100 msec.
    let mut rng = workbook::generator(args.seed);
    let mut total_msec = 0;
    for _ in 0..100 {
        let workload = workbook::workload(&mut rng);
        total_msec += workload;
        // With no worker connected, a PUSH socket cannot send: wait for one
        // (or Ctrl-C) rather than block in send.
        if !workbook::wait_writable(&sender)? {
            return Ok(()); // Ctrl-C
        }
        sender.send(&workload.to_string(), 0)?;
    }
    println!("Total expected cost: {total_msec} msec");
    Ok(())
}
// ANCHOR_END: main
