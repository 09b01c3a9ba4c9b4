//! A client connected to several services at once: its one REQ socket
//! connects to each of them, and deals its requests out among them in turn
//! (round-robin). Each service (rrservice) answers with its name, and the
//! client says who answered each request.
//!
//! Run it, after three services (see rrservice):  cargo run --example rrspread
//! Or the services and the client at once:         cargo run -- run round-robin

use std::collections::BTreeMap;

use clap::Parser;

/// Round-robin client: connects REQ to every service, sends requests, says who answered.
#[derive(Parser)]
struct Args {
    /// A service to connect to; give it once per service (in this order).
    #[arg(
        long,
        default_values = [
            "tcp://localhost:5570",
            "tcp://localhost:5571",
            "tcp://localhost:5572",
        ]
    )]
    connect: Vec<String>,
    /// How many requests to send.
    #[arg(long, default_value_t = 9)]
    requests: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    // On Ctrl-C, drop a request still waiting for its service.
    requester.set_linger(0)?;
    // One socket, several connections: one queue per service. A request
    // waits in its service's queue until that service is up.
    for endpoint in &args.connect {
        workbook::connect(&requester, endpoint)?;
    }

    let mut answered = BTreeMap::new();
    for request_nbr in 1..=args.requests {
        // REQ sends each request to the next service in turn.
        requester.send(format!("request {request_nbr}").as_str(), 0)?;
        if !workbook::wait_readable(&requester)? {
            return Ok(()); // Ctrl-C
        }
        match workbook::text(requester.recv_multipart(0)?) {
            Ok(service) => {
                println!("Request {request_nbr} answered by {service}");
                *answered.entry(service).or_insert(0) += 1;
            }
            Err(malformed) => malformed.report(),
        }
    }
    for (service, count) in answered {
        println!("{service} answered {count}");
    }
    Ok(())
}
// ANCHOR_END: main
