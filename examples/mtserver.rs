//! Multithreaded Hello World server: a ROUTER socket takes clients' requests, a
//! proxy passes them to a DEALER, and worker threads with REP sockets answer
//! them, several at a time. hwclient works with it unchanged.
//!
//! Run it:      cargo run --example mtserver
//! Then clients, in other terminals: cargo run --example hwclient
//! Or a server and three clients at once: cargo run -- run mtserver
//! Ctrl-C stops it.

use clap::Parser;

/// Multithreaded server: ROUTER for clients, DEALER to worker threads, a proxy between.
#[derive(Parser)]
struct Args {
    /// Where clients connect.
    #[arg(long, default_value = "tcp://127.0.0.1:5555")]
    bind: String,
    /// How many worker threads answer requests.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    workers: u16,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // Socket to talk to clients.
    let mut clients = context.socket(zmq::ROUTER)?;
    workbook::bind(&clients, &args.bind)?;

    // Socket to talk to workers, inside this process.
    let mut workers = context.socket(zmq::DEALER)?;
    workbook::bind(&workers, "inproc://workers")?;

    // Launch a pool of worker threads.
    let pool: Vec<_> = (0..args.workers)
        .map(|_| {
            let context = context.clone();
            std::thread::spawn(move || worker_routine(&context))
        })
        .collect();

    // Connect the worker threads to the clients, until Ctrl-C.
    workbook::proxy(&context, &mut clients, &mut workers)?;

    for worker in pool {
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("a worker thread panicked"))??;
    }
    Ok(())
}

fn worker_routine(context: &zmq::Context) -> anyhow::Result<()> {
    // Socket to talk to the dispatcher.
    let receiver = context.socket(zmq::REP)?;
    workbook::connect(&receiver, "inproc://workers")?;

    while workbook::wait_readable(&receiver)? {
        match workbook::text(receiver.recv_multipart(0)?) {
            Ok(text) => println!("Received request: [{text}]"),
            Err(malformed) => malformed.report(),
        }
        // Do some "work", then answer (a REP socket answers every request).
        if !workbook::sleep_ms(1000) {
            break;
        }
        receiver.send("World", 0)?;
    }
    Ok(())
}
// ANCHOR_END: main
