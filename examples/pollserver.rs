//! Poller server: one ROUTER socket, polled with a time limit, serves every
//! client that connects, whichever asks next. Each request arrives with the
//! identity of the client that sent it, so the server keeps a count per client
//! and sends each reply back to the client that asked. When a poll's time limit
//! passes with no request, it says so and polls again.
//!
//! Run it:      cargo run --example pollserver
//! Then, in a few other terminals: cargo run --example pollclient
//! Or all at once:  cargo run -- run poll-server
//! Ctrl-C stops it; `--stop-after N` stops it after N quiet polls in a row,
//! once it has served `--clients` clients (one unless told).

use std::collections::HashMap;

use clap::Parser;

/// Poller server: binds ROUTER, answers "Hello" with "World N", N per client.
#[derive(Parser)]
struct Args {
    /// Where clients connect their REQ sockets.
    #[arg(long, default_value = "tcp://127.0.0.1:5555")]
    bind: String,
    /// How long one poll waits for a request, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    timeout_ms: u64,
    /// Stop after this many quiet polls in a row, once `--clients` clients
    /// have been served; without it, serve until Ctrl-C.
    #[arg(long)]
    stop_after: Option<u32>,
    /// How many clients `--stop-after` waits for: quiet polls before the
    /// last of them has asked do not stop the server.
    #[arg(long, default_value_t = 1)]
    clients: usize,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

/// What the server remembers of one client.
struct Client {
    /// 1 for the first client that asked, 2 for the next …
    number: usize,
    /// How many of its requests have been answered.
    requests: u32,
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    // ROUTER, not REP: each request comes with its sender's identity, and a
    // reply goes to whichever client its first frame names.
    let server = context.socket(zmq::ROUTER)?;
    workbook::bind(&server, &args.bind)?;
    println!("Polling for requests, {} ms at a time", args.timeout_ms);

    let mut clients: HashMap<Vec<u8>, Client> = HashMap::new();
    let mut quiet = 0;
    loop {
        match workbook::wait_readable_for(&server, args.timeout_ms)? {
            workbook::Waited::Ready => quiet = 0,
            workbook::Waited::TimedOut => {
                quiet += 1;
                if clients.len() >= args.clients && args.stop_after == Some(quiet) {
                    println!(
                        "No request for {} ms, {quiet} in a row: stopping",
                        args.timeout_ms
                    );
                    return Ok(());
                }
                println!("No request for {} ms; polling again", args.timeout_ms);
                continue;
            }
            workbook::Waited::Interrupted => return Ok(()),
        }
        // From a REQ client: [identity, "", "Hello"]. The ROUTER socket put
        // the identity in front; the empty frame is REQ's delimiter.
        let (identity, request) = match envelope(server.recv_multipart(0)?) {
            Ok(envelope) => envelope,
            Err(malformed) => {
                malformed.report(); // no reply: ROUTER owes nobody one
                continue;
            }
        };
        if request != "Hello" {
            workbook::Malformed(format!("{request:?}, expected \"Hello\"")).report();
            continue;
        }
        let next = clients.len() + 1;
        let client = clients.entry(identity.clone()).or_insert(Client {
            number: next,
            requests: 0,
        });
        client.requests += 1;
        println!(
            "client {}, request {}: {request}",
            client.number, client.requests
        );
        let reply = format!("World {}", client.requests);
        server.send_multipart([identity, Vec::new(), reply.into_bytes()], 0)?;
    }
}

/// A request as a ROUTER socket receives it from a REQ client: the client's
/// identity, an empty delimiter, one frame of text.
fn envelope(frames: Vec<Vec<u8>>) -> Result<(Vec<u8>, String), workbook::Malformed> {
    let [identity, delimiter, body]: [Vec<u8>; 3] = frames.try_into().map_err(|f: Vec<_>| {
        workbook::Malformed(format!(
            "{} frames, expected identity, \"\", request",
            f.len()
        ))
    })?;
    if !delimiter.is_empty() {
        return Err(workbook::Malformed(
            "no empty delimiter after the identity".into(),
        ));
    }
    Ok((identity, workbook::text(vec![body])?))
}
// ANCHOR_END: main
