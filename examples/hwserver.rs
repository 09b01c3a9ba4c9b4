//! Hello World server: a REP socket answers every "Hello" with "World".
//!
//! Run it:      cargo run --example hwserver
//! Then, in another terminal, the client: cargo run --example hwclient
//! Or both at once:                       cargo run -- run hello
//! Ctrl-C stops it.

use clap::Parser;

/// Hello World server: binds REP, answers each request with "World".
#[derive(Parser)]
struct Args {
    /// Where to listen for clients.
    #[arg(long, default_value = "tcp://127.0.0.1:5555")]
    bind: String,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let responder = context.socket(zmq::REP)?;
    workbook::bind(&responder, &args.bind)?;

    // Wait for the next request (false once Ctrl-C is pressed), then read it
    // whole: a REP socket must take in every frame before it can reply.
    while workbook::wait_readable(&responder)? {
        let request = responder.recv_multipart(0)?;
        match workbook::text(request).as_deref() {
            Ok("Hello") => println!("Received Hello"),
            Ok(other) => workbook::Malformed(format!("{other:?}, expected \"Hello\"")).report(),
            Err(malformed) => malformed.report(),
        }
        // Do some "work". A REP socket must answer every request before it can
        // receive the next, so even a malformed one gets its "World".
        if !workbook::sleep_ms(1000) {
            break;
        }
        responder.send("World", 0)?;
    }
    Ok(())
}
// ANCHOR_END: main
