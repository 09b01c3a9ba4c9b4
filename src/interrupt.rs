//! Ctrl-C handling shared by every example.
//!
//! The guide catches SIGINT and relies on `zmq_recv` failing with EINTR. That only
//! wakes the thread the signal lands on, so a worker thread could sleep through
//! it. Here the signal only sets a flag, and every wait in the examples is sliced
//! into short polls that look at the flag: whatever thread is waiting notices
//! within [`SLICE_MS`] and the program winds down normally (exit status 0).
//! SIGTERM and SIGHUP (a closed terminal) set the same flag.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How long one slice of a wait lasts before the flag is checked again.
pub const SLICE_MS: i64 = 100;

/// Install the hook for Ctrl-C (SIGINT), SIGTERM and SIGHUP. Idempotent.
pub fn install() -> anyhow::Result<()> {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    let mut outcome = Ok(());
    INSTALLED.call_once(|| {
        outcome = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
    outcome.map_err(|error| anyhow::anyhow!("cannot install the Ctrl-C handler: {error}"))
}

// ANCHOR: interrupted
/// True once Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
// ANCHOR_END: interrupted

// ANCHOR: poll
/// `zmq::poll(items, -1)` (wait for ever), except that it returns `Ok(false)`
/// as soon as Ctrl-C is pressed. On `Ok(true)`, some item has `revents` set.
pub fn poll(items: &mut [zmq::PollItem]) -> zmq::Result<bool> {
    Ok(poll_for(items, u64::MAX)? == Waited::Ready)
}
// ANCHOR_END: poll

// ANCHOR: wait
/// Wait until `socket` has a message to read: then `recv` returns at once.
/// `Ok(false)` if Ctrl-C came first.
pub fn wait_readable(socket: &zmq::Socket) -> zmq::Result<bool> {
    if readable_now(socket)? {
        return Ok(true);
    }
    poll(&mut [socket.as_poll_item(zmq::POLLIN)])
}

/// Whether a message is waiting already (`ZMQ_EVENTS`): then a wait can
/// return at once, without the system call a poll makes. A reader that
/// takes a million messages saves a million of them.
fn readable_now(socket: &zmq::Socket) -> zmq::Result<bool> {
    Ok(socket.get_events()?.contains(zmq::POLLIN))
}

/// Wait until `socket` can take a message: then `send` returns at once (a
/// PUSH socket with no peer yet, for one, would block). `Ok(false)` if Ctrl-C
/// came first.
pub fn wait_writable(socket: &zmq::Socket) -> zmq::Result<bool> {
    poll(&mut [socket.as_poll_item(zmq::POLLOUT)])
}
// ANCHOR_END: wait

// ANCHOR: wait_readable_for
/// How a wait with a time limit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// What was waited for is there: a message to read (`recv` returns at
    /// once), or, for `poll_for`, some item with `revents` set.
    Ready,
    /// Nothing came in time.
    TimedOut,
    /// Ctrl-C was pressed.
    Interrupted,
}

/// Wait at most `ms` milliseconds (`u64::MAX`: for ever) until `socket` has
/// a message to read.
pub fn wait_readable_for(socket: &zmq::Socket, ms: u64) -> zmq::Result<Waited> {
    if readable_now(socket)? {
        return Ok(Waited::Ready);
    }
    poll_for(&mut [socket.as_poll_item(zmq::POLLIN)], ms)
}

/// `zmq::poll(items, ms)`: wait at most `ms` milliseconds (`u64::MAX`: for
/// ever) until some item has `revents` set, in slices that look at the
/// Ctrl-C flag.
pub fn poll_for(items: &mut [zmq::PollItem], ms: u64) -> zmq::Result<Waited> {
    let deadline = std::time::Instant::now().checked_add(std::time::Duration::from_millis(ms));
    loop {
        if interrupted() {
            return Ok(Waited::Interrupted);
        }
        let left = deadline.map_or(std::time::Duration::MAX, |deadline| {
            deadline.saturating_duration_since(std::time::Instant::now())
        });
        let slice = left.as_millis().min(SLICE_MS as u128) as i64;
        match zmq::poll(items, slice) {
            Ok(0) if left.is_zero() => return Ok(Waited::TimedOut),
            Ok(0) | Err(zmq::Error::EINTR) => continue,
            Ok(_) => return Ok(Waited::Ready),
            Err(error) => return Err(error),
        }
    }
}
// ANCHOR_END: wait_readable_for

// ANCHOR: sleep_ms
/// Sleep for `ms` milliseconds, cut short by Ctrl-C. Returns false if it was.
pub fn sleep_ms(ms: u64) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(ms);
    loop {
        if interrupted() {
            return false;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(std::time::Duration::from_millis(SLICE_MS as u64)));
    }
}
// ANCHOR_END: sleep_ms

// ANCHOR: wait_for_enter
/// Wait until the user presses Enter (or standard input ends). `Ok(false)` if
/// Ctrl-C came first: standard input is polled beside the flag, as a socket.
pub fn wait_for_enter() -> anyhow::Result<bool> {
    #[cfg(unix)]
    {
        let stdin = std::os::fd::AsRawFd::as_raw_fd(&std::io::stdin());
        if !poll(&mut [zmq::PollItem::from_fd(stdin, zmq::POLLIN)])? {
            return Ok(false);
        }
    }
    std::io::stdin().read_line(&mut String::new())?;
    Ok(!interrupted())
}
// ANCHOR_END: wait_for_enter

// ANCHOR: proxy
/// `zmq::proxy(frontend, backend)` that returns once Ctrl-C is pressed.
///
/// `zmq::proxy` only returns when the context is terminated. The steerable proxy
/// also returns when its control socket receives "TERMINATE", which a small
/// thread sends on Ctrl-C.
pub fn proxy(
    context: &zmq::Context,
    frontend: &mut zmq::Socket,
    backend: &mut zmq::Socket,
) -> anyhow::Result<()> {
    let mut control = terminate_on_ctrl_c(context)?;
    loop {
        match zmq::proxy_steerable(frontend, backend, &mut control) {
            Ok(()) => return Ok(()),
            // The signal itself may interrupt the proxy's wait.
            Err(zmq::Error::EINTR) if interrupted() => return Ok(()),
            Err(zmq::Error::EINTR) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}
// ANCHOR_END: proxy

/// A PAIR socket that receives "TERMINATE" once Ctrl-C is pressed.
fn terminate_on_ctrl_c(context: &zmq::Context) -> anyhow::Result<zmq::Socket> {
    let endpoint = crate::endpoint::unique_inproc("proxy-control");
    let control = context.socket(zmq::PAIR)?;
    control.bind(&endpoint)?;
    let context = context.clone();
    std::thread::spawn(move || {
        while !interrupted() {
            std::thread::sleep(std::time::Duration::from_millis(SLICE_MS as u64));
        }
        let terminate = context
            .socket(zmq::PAIR)
            .and_then(|socket| socket.connect(&endpoint).map(|()| socket))
            .and_then(|socket| socket.send("TERMINATE", 0));
        if let Err(error) = terminate {
            eprintln!("{}: cannot stop the proxy: {error}", crate::program_name());
        }
    });
    Ok(control)
}
