//! ROUTER to REQ: load balancing by hand. Ten REQ workers ask a ROUTER broker
//! for work; the broker reads who asked from the envelope and answers that
//! worker, "Work harder" for five seconds, then "Fired!". Each worker says how
//! many tasks it did. The broker shows its first exchange frame by frame, and
//! worker 0000 what its socket handed it.
//!
//! Run it:      cargo run --example rtreq
//! Or:          cargo run -- run rtreq
//! One process, the workers are threads; it exits by itself once every
//! worker is fired.

use clap::Parser;
use std::time::{Duration, Instant};

/// ROUTER-to-REQ: a broker hands out work to ten REQ workers, least recently used first.
#[derive(Parser)]
struct Args {
    /// Where the broker binds.
    #[arg(long, default_value = "tcp://127.0.0.1:5671")]
    bind: String,
    /// Where the workers connect.
    #[arg(long, default_value = "tcp://localhost:5671")]
    connect: String,
    /// How many workers.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    workers: u16,
    /// How long the broker hands out work before it fires the workers.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Seed for the workers' random work times (worker n uses seed + n).
    #[arg(long)]
    seed: Option<u64>,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn worker_task(args: &Args, worker_nbr: u16) -> anyhow::Result<()> {
    // Each worker has its own context: it stands for a process of its own.
    let context = zmq::Context::new();
    let worker = context.socket(zmq::REQ)?;
    worker.set_identity(routing_id(worker_nbr).as_bytes())?; // Printable, unique.
    worker.set_linger(0)?; // On Ctrl-C, a request to a gone broker is dropped.
    workbook::connect(&worker, &args.connect)?;
    let mut rng = workbook::generator(args.seed.map(|seed| seed + u64::from(worker_nbr)));

    let mut total = 0;
    loop {
        // Tell the broker we're ready for work.
        worker.send("Hi Boss", 0)?;

        // Get workload from broker, until finished.
        if !workbook::wait_readable(&worker)? {
            return Ok(()); // Ctrl-C
        }
        let workload = worker.recv_multipart(0)?;
        if worker_nbr == 0 && total == 0 {
            print!("Worker 0000 received:\n{}", workbook::dump(&workload));
        }
        if workload == [b"Fired!"] {
            println!("Completed: {total} tasks");
            return Ok(());
        }
        total += 1;

        // Do some random work.
        if !workbook::sleep_ms(u64::from(workbook::randof(&mut rng, 500)) + 1) {
            return Ok(());
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let broker = context.socket(zmq::ROUTER)?;
    workbook::bind(&broker, &args.bind)?;

    let workers: Vec<String> = (0..args.workers).map(routing_id).collect();
    let args = std::sync::Arc::new(args);
    let threads: Vec<_> = (0..args.workers)
        .map(|worker_nbr| {
            let args = args.clone();
            std::thread::spawn(move || worker_task(&args, worker_nbr))
        })
        .collect();

    // Run for five seconds and then tell workers to end.
    let end_time = Instant::now() + Duration::from_secs(args.seconds);
    let (mut handed_out, mut workers_fired) = (0, 0);
    while workers_fired < workers.len() {
        if !workbook::wait_readable(&broker)? {
            break; // Ctrl-C: the workers stop by themselves.
        }
        // Next message gives us least recently used worker: the envelope
        // says which (its routing id, then REQ's empty delimiter).
        let mut request = workbook::Message::recv(&broker)?;
        let received = request.to_string();
        let identity = match request.unwrap() {
            Ok(id) if workers.iter().any(|w| w.as_bytes() == id) => id,
            Ok(id) => {
                let peer = id.escape_ascii();
                workbook::Malformed(format!("a request from {peer}, not one of our workers"))
                    .report();
                continue;
            }
            Err(malformed) => {
                malformed.report();
                continue;
            }
        };

        // Encourage workers until it's time to fire them.
        let mut reply = workbook::Message::new();
        if Instant::now() < end_time {
            reply.append("Work harder");
            handed_out += 1;
        } else {
            reply.append("Fired!");
            workers_fired += 1;
        }
        reply.wrap(identity); // The same envelope back: that worker gets it.
        if handed_out + workers_fired == 1 {
            print!("The broker received:\n{received}and replied:\n{reply}");
        }
        reply.send(&broker)?;
    }

    for thread in threads {
        thread
            .join()
            .map_err(|_| anyhow::anyhow!("a worker thread panicked"))??;
    }
    if workers_fired == workers.len() {
        println!("Handed out {handed_out} tasks, then fired {workers_fired} workers.");
    }
    Ok(())
}

/// Worker n's routing id: its number after the process id, so that no two
/// workers share one, even when several processes' workers meet at a broker.
fn routing_id(worker_nbr: u16) -> String {
    format!("{:06X}-{worker_nbr:04X}", std::process::id())
}
// ANCHOR_END: main
