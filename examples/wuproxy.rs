//! Weather update proxy: an XSUB socket subscribes to the weather server, an
//! XPUB socket republishes its updates to subscribers elsewhere, and the
//! built-in proxy joins the two. Subscriptions travel the other way, from the
//! subscribers through the proxy to the server.
//!
//! Run it:      cargo run --example wuproxy
//! It needs the server:  cargo run --example wuserver
//! and a client of its own port: cargo run --example wuclient -- --connect tcp://localhost:8100
//! Or all three at once: cargo run -- run wuproxy
//! Ctrl-C stops it.

use clap::Parser;

/// Weather proxy: XSUB connected to the weather server, XPUB bound for subscribers.
#[derive(Parser)]
struct Args {
    /// The weather server (the network the proxy takes updates from).
    #[arg(long, default_value = "tcp://localhost:5556")]
    frontend: String,
    /// Where subscribers connect (the network the proxy passes updates on to).
    #[arg(long, default_value = "tcp://127.0.0.1:8100")]
    backend: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();

    // This is where the weather server sits.
    let mut frontend = context.socket(zmq::XSUB)?;
    workbook::connect(&frontend, &args.frontend)?;

    // This is our public endpoint for subscribers.
    let mut backend = context.socket(zmq::XPUB)?;
    workbook::bind(&backend, &args.backend)?;

    // Run the proxy until Ctrl-C: updates flow from the frontend to the
    // backend, subscriptions from the backend to the frontend.
    workbook::proxy(&context, &mut frontend, &mut backend)
}
// ANCHOR_END: main
