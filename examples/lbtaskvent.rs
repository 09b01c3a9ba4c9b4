//! Load-balanced task ventilator: the chapter 1 pipeline with its dealing
//! turned around. Workers ask for work, and a ROUTER socket hands the next
//! of the 100 tasks to whichever worker asked, so no task waits behind a slow
//! one. When the batch is out, every worker that asks is told "END".
//!
//! Run it, after the sink and the workers:
//!   cargo run --example tasksink
//!   cargo run --example lbtaskwork      (in as many terminals as you like)
//!   cargo run --example lbtaskvent -- --workers 3
//! Or the whole pipeline at once:        cargo run -- run lbpipeline
//!
//! The wire format, worker to ventilator (REQ, so an empty delimiter comes
//! first): one frame, "READY". Ventilator to worker: one frame, a workload
//! in msec ("37"), or "END" once the batch is out.

use std::collections::{HashSet, VecDeque};

use clap::Parser;

/// Load-balanced ventilator: binds ROUTER for workers, connects PUSH to the sink.
#[derive(Parser)]
struct Args {
    /// Where workers connect to ask for tasks.
    #[arg(long, default_value = "tcp://127.0.0.1:5557")]
    bind: String,
    /// The sink, which is told that the batch starts.
    #[arg(long, default_value = "tcp://localhost:5558")]
    sink: String,
    /// Start the batch once this many workers have asked for work.
    #[arg(long, value_name = "N", default_value_t = 1)]
    workers: usize,
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

    // Socket to hand out tasks on. Mandatory routing: a reply to a worker
    // that has gone since it asked fails with EHOSTUNREACH instead of
    // vanishing, so its task can go to the next worker.
    let workers = context.socket(zmq::ROUTER)?;
    workers.set_router_mandatory(true)?;
    workers.set_linger(1000)?;
    workbook::bind(&workers, &args.bind)?;

    // Socket to tell the sink that the batch starts.
    let sink = context.socket(zmq::PUSH)?;
    sink.set_linger(1000)?;
    workbook::connect(&sink, &args.sink)?;

    // The batch: the same 100 workloads as chapter 1's taskvent draws.
    let mut rng = workbook::generator(args.seed);
    let mut tasks: VecDeque<u32> = (0..100).map(|_| workbook::workload(&mut rng)).collect();
    let total_msec: u32 = tasks.iter().sum();

    // Workers that have asked and wait for an answer, oldest first, and
    // every worker met so far (each will be told "END").
    let mut ready: VecDeque<Vec<u8>> = VecDeque::new();
    let mut known: HashSet<Vec<u8>> = HashSet::new();
    let mut started = false;

    let s = if args.workers == 1 { "" } else { "s" };
    println!("Waiting for {} worker{s} to ask for work…", args.workers);
    while !(tasks.is_empty() && known.is_empty()) {
        if !workbook::wait_readable(&workers)? {
            return Ok(()); // Ctrl-C
        }
        let worker = match worker_asking(workbook::Message::recv(&workers)?) {
            Ok(worker) => worker,
            Err(malformed) => {
                malformed.report(); // And serve the next request.
                continue;
            }
        };
        known.insert(worker.clone());
        ready.push_back(worker);

        // Start once enough workers are there, so that none starts late.
        if !started && ready.len() >= args.workers {
            started = true;
            println!("Sending tasks to workers…");
            sink.send("0", 0)?; // The first message is "0": start of batch.
        }
        // Answer every waiting worker: its next task, or "END".
        while started && let Some(worker) = ready.pop_front() {
            let task = tasks.pop_front();
            let mut reply = workbook::Message::new();
            reply.append(task.map_or("END".to_string(), |workload| workload.to_string()));
            reply.wrap(worker.clone());
            match reply.send(&workers) {
                Ok(()) if task.is_none() => {
                    known.remove(&worker); // Told "END": it stops.
                }
                Ok(()) => {
                    if tasks.is_empty() {
                        println!("Total expected cost: {total_msec} msec");
                    }
                }
                Err(zmq::Error::EHOSTUNREACH) => {
                    // Gone since it asked: its task goes to the next worker.
                    eprintln!("lbtaskvent: a worker left before its answer");
                    if let Some(workload) = task {
                        tasks.push_front(workload);
                    }
                    known.remove(&worker);
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    println!("Every worker has been told there is no more work.");
    Ok(())
}

/// The routing id of the worker that sent `request`, which must be
/// [routing id, "", "READY"]; anything else is malformed.
fn worker_asking(mut request: workbook::Message) -> Result<Vec<u8>, workbook::Malformed> {
    let worker = request.unwrap()?;
    let body: Vec<Vec<u8>> = request.frames().map(<[u8]>::to_vec).collect();
    match workbook::text(body)?.as_str() {
        "READY" => Ok(worker),
        other => Err(workbook::Malformed(format!("{other:?} is not READY"))),
    }
}
// ANCHOR_END: main
