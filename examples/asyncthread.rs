//! Blocking calls beside an event loop, the first way: a companion thread owns
//! the ZeroMQ socket and makes its blocking calls; the async side hands it
//! requests over a channel and awaits each reply on a one-shot channel. A
//! ticker task counts meanwhile, on the same single thread as the rest of the
//! async side: it can only tick while nothing blocks that thread.
//!
//! Run it:      cargo run --example asyncthread
//!              cargo run --example asyncthread -- --blocking   (the mistake)
//! It needs chapter 1's server: cargo run --example hwserver in another terminal.
//! Or both at once:  cargo run -- run async-thread
//! Ctrl-C stops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Parser;
use tokio::sync::{mpsc, oneshot};

/// Async Hello World client: a tokio task asks hwserver through a companion thread.
#[derive(Parser)]
struct Args {
    /// The Hello World server (hwserver).
    #[arg(long, default_value = "tcp://localhost:5555")]
    connect: String,
    /// How many requests to make, one after the other.
    #[arg(long, default_value_t = 3)]
    requests: u32,
    /// Make the mistake instead: call the socket from the async task itself,
    /// and see the ticker stop while it waits.
    #[arg(long)]
    blocking: bool,
}

/// How often the ticker ticks.
const TICK_MS: u64 = 100;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

fn run(args: Args) -> anyhow::Result<()> {
    // One thread runs every task: whatever blocks it stops them all.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    runtime.block_on(client(args))
}

// ANCHOR: main
/// What the async side hands the companion thread: a request, and where its
/// reply goes.
struct Request {
    body: &'static str,
    reply: oneshot::Sender<zmq::Result<Vec<Vec<u8>>>>,
}

async fn client(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let requester = context.socket(zmq::REQ)?;
    requester.set_linger(0)?; // on Ctrl-C, drop an unanswered request
    workbook::connect(&requester, &args.connect)?;

    // The other work the program does while it waits: a task that counts.
    let ticks = Arc::new(AtomicU64::new(0));
    tokio::spawn(ticker(ticks.clone()));

    // The companion thread takes the socket: a zmq::Socket may move to
    // another thread (Send) but not be used from two (it is not Sync), so
    // from now on only that thread touches it. The context is shared freely.
    let (requests, inbox) = mpsc::channel::<Request>(1);
    let (companion, blocking_socket) = if args.blocking {
        (None, Some(requester))
    } else {
        (
            Some(std::thread::spawn(move || companion(requester, inbox))),
            None,
        )
    };

    for request_nbr in 1..=args.requests {
        println!("Sending Hello {request_nbr}…");
        let before = ticks.load(Ordering::SeqCst);
        let reply = match &blocking_socket {
            // The mistake: a blocking wait inside a task holds the runtime's
            // only thread, and no other task runs until it returns.
            Some(requester) => {
                requester.send("Hello", 0)?;
                if !workbook::wait_readable(requester)? {
                    break; // Ctrl-C
                }
                requester.recv_multipart(0)?
            }
            // The companion way: hand the request over and await the reply,
            // which leaves the thread free for the other tasks meanwhile.
            None => {
                let (reply, replied) = oneshot::channel();
                let body = "Hello";
                if requests.send(Request { body, reply }).await.is_err() {
                    break; // the companion has stopped; its join says why
                }
                tokio::select! {
                    reply = replied => match reply {
                        Ok(reply) => reply?,
                        Err(_) => break, // the companion stopped: Ctrl-C or an error
                    },
                    () = ctrl_c() => break,
                }
            }
        };
        let meanwhile = ticks.load(Ordering::SeqCst) - before;
        match workbook::text(reply).as_deref() {
            Ok("World") => println!(
                "Received World {request_nbr} (the ticker ticked {meanwhile} times meanwhile)"
            ),
            Ok(other) => workbook::Malformed(format!("{other:?}, expected \"World\"")).report(),
            Err(malformed) => malformed.report(),
        }
    }

    // Closing the channel ends the companion's loop; it closes the socket.
    drop(requests);
    if let Some(companion) = companion {
        companion.join().expect("the companion thread panicked")?;
    }
    Ok(())
}

/// The companion thread: the socket's only user. Its calls block this thread,
/// never the async side's.
fn companion(requester: zmq::Socket, mut inbox: mpsc::Receiver<Request>) -> zmq::Result<()> {
    // `blocking_recv`: waiting for the async side is fine on a thread of our own.
    while let Some(Request { body, reply }) = inbox.blocking_recv() {
        requester.send(body, 0)?;
        if !workbook::wait_readable(&requester)? {
            return Ok(()); // Ctrl-C: dropping `reply` tells the async side
        }
        // The async side may have stopped waiting (Ctrl-C): then nobody
        // takes the reply, and that is fine.
        let _ = reply.send(requester.recv_multipart(0));
    }
    Ok(())
}

/// The other work: count a tick every TICK_MS, for as long as the program runs.
async fn ticker(ticks: Arc<AtomicU64>) {
    let mut interval = tokio::time::interval(Duration::from_millis(TICK_MS));
    loop {
        interval.tick().await;
        ticks.fetch_add(1, Ordering::SeqCst);
    }
}

/// Ready once Ctrl-C is pressed: the workbook's flag, looked at every tenth
/// of a second, like the workbook's own waits do.
async fn ctrl_c() {
    while !workbook::interrupted() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
// ANCHOR_END: main
