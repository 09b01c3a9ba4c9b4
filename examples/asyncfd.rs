//! Blocking calls beside an event loop, the second way: no thread at all. The
//! socket's own file descriptor (ZMQ_FD) is handed to the async runtime, which
//! wakes the task when ZeroMQ signals it; ZMQ_EVENTS then says what the socket
//! can do, and every call is made with DONTWAIT, so none ever blocks. A
//! DEALER socket sends all its requests at once and takes the replies as they
//! come, while a ticker task counts on the same single thread.
//!
//! Run it:      cargo run --example asyncfd
//!              cargo run --example asyncfd -- --one-per-wakeup   (the pitfall)
//! It needs chapter 1's server: cargo run --example hwserver in another terminal.
//! Or both at once:  cargo run -- run async-fd
//! Ctrl-C stops it.

use std::os::fd::{AsRawFd, RawFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Parser;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

/// Async Hello World client: a tokio task drives a DEALER socket through its ZMQ_FD.
#[derive(Parser)]
struct Args {
    /// The Hello World server (hwserver).
    #[arg(long, default_value = "tcp://localhost:5555")]
    connect: String,
    /// How many requests to send, all at once.
    #[arg(long, default_value_t = 3)]
    requests: u32,
    /// Fall into the pitfall instead: read one message per wake-up, without
    /// asking ZMQ_EVENTS whether more are waiting. It stalls.
    #[arg(long)]
    one_per_wakeup: bool,
}

/// How often the ticker ticks.
const TICK_MS: u64 = 100;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

fn run(args: Args) -> anyhow::Result<()> {
    // One thread runs every task: whatever blocks it stops them all.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(client(args))
}

// ANCHOR: main
/// A socket's descriptor, as the runtime wants it. ZeroMQ owns it: it is
/// never read, written or closed here, only watched. The borrow keeps the
/// socket, and so the descriptor, alive for as long as it is watched.
struct ZmqFd<'s> {
    socket: &'s zmq::Socket,
    fd: RawFd,
}

impl AsRawFd for ZmqFd<'_> {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

async fn client(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let dealer = context.socket(zmq::DEALER)?;
    dealer.set_linger(0)?; // on Ctrl-C, drop unanswered requests
    workbook::connect(&dealer, &args.connect)?;
    // The descriptor becomes readable when ZeroMQ has news for the socket,
    // for sending as well as for receiving: it is only ever watched for
    // reading. The runtime watches it edge-triggered, as ZeroMQ signals it.
    let watched = ZmqFd {
        socket: &dealer,
        fd: dealer.get_fd()?,
    };
    // SAFETY: the descriptor stays open while `signal` lives: ZmqFd borrows
    // the socket that owns it, so the socket cannot close first.
    let signal = unsafe { AsyncFd::register_with_interest(watched, Interest::READABLE) }
        .map_err(|refused| refused.into_parts().1)?;

    // The other work the program does while it waits: a task that counts.
    let ticks = Arc::new(AtomicU64::new(0));
    tokio::spawn(ticker(ticks.clone()));

    // Send every request at once. To a REP server, a DEALER must add the
    // empty delimiter frame that a REQ socket would.
    for _ in 0..args.requests {
        if !ready(&signal, zmq::POLLOUT).await? {
            return Ok(()); // Ctrl-C
        }
        dealer.send_multipart(["", "Hello"], zmq::DONTWAIT)?;
    }
    println!("Sent {} requests", args.requests);

    let mut before = ticks.load(Ordering::SeqCst);
    let mut received = 0;
    while received < args.requests {
        if args.one_per_wakeup {
            // The pitfall: wait first, then read at most one message. The
            // descriptor signals when the socket's queue goes from empty to
            // not empty, as the socket sees it; a reader that never finds
            // it empty is never signalled again, however much arrives.
            if !signalled(&signal).await? {
                break; // Ctrl-C
            }
            if !dealer.get_events()?.contains(zmq::POLLIN) {
                continue;
            }
        } else if !ready(&signal, zmq::POLLIN).await? {
            break; // Ctrl-C
        }
        let reply = dealer.recv_multipart(zmq::DONTWAIT)?;
        received += 1;
        let meanwhile = ticks.load(Ordering::SeqCst) - before;
        before += meanwhile;
        match reply.split_first() {
            Some((delimiter, body)) if delimiter.is_empty() => {
                match workbook::text(body.to_vec()).as_deref() {
                    Ok("World") => println!(
                        "Received World {received} (the ticker ticked {meanwhile} times meanwhile)"
                    ),
                    Ok(other) => {
                        workbook::Malformed(format!("{other:?}, expected \"World\"")).report()
                    }
                    Err(malformed) => malformed.report(),
                }
            }
            _ => workbook::Malformed("no empty delimiter frame".into()).report(),
        }
    }
    if received < args.requests {
        // Stopped early: say what was left behind, unread.
        let mut waiting = 0;
        while dealer.get_events()?.contains(zmq::POLLIN) {
            dealer.recv_multipart(zmq::DONTWAIT)?;
            waiting += 1;
        }
        println!(
            "Stopped after {received} of {} replies, with {waiting} more waiting unread",
            args.requests
        );
    }
    Ok(())
}

/// Wait until the socket can do what `events` asks (POLLIN: a message to
/// read; POLLOUT: room to send one). False if Ctrl-C came first.
///
/// ZMQ_EVENTS is asked *before* each wait, not only after a wake-up: a
/// message may be waiting already (the last wake-up brought several, or a
/// send took in news on its way), and then no signal will come for it.
/// Asking also tells ZeroMQ that we have seen its news: when the answer is
/// "nothing", the next arrival signals the descriptor again.
async fn ready(signal: &AsyncFd<ZmqFd<'_>>, events: zmq::PollEvents) -> anyhow::Result<bool> {
    while !signal.get_ref().socket.get_events()?.contains(events) {
        if !signalled(signal).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Wait until ZeroMQ signals its descriptor (false if Ctrl-C came first),
/// and forget the signal: the next wait waits for a new one.
async fn signalled(signal: &AsyncFd<ZmqFd<'_>>) -> std::io::Result<bool> {
    tokio::select! {
        guard = signal.readable() => {
            guard?.clear_ready();
            Ok(true)
        }
        () = ctrl_c() => Ok(false),
    }
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
