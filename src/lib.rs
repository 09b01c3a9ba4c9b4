//! The workbook's shared part: what several examples, the `workbook` runner and
//! the tests need once, so each example can read top to bottom like the guide.
//!
//! What an example calls is a free function, `workbook::NAME(…)`, so a reader
//! tells at a glance which calls are the workbook's and which are ZeroMQ's
//! (`socket.recv_multipart(0)`, `zmq::poll`). The book's page "The workbook's
//! helpers" shows each one, why it is there, and how to do without it:
//!
//! - [`main`]: `--help`, the Ctrl-C hook, one line on stderr for an error.
//! - [`bind`], [`connect`]: the endpoint checked, and named in the error.
//! - [`wait_readable`], [`wait_writable`], [`poll`], [`sleep_ms`],
//!   [`wait_for_enter`], [`proxy`], [`interrupted`]: waits that give way to Ctrl-C;
//!   [`wait_readable_for`] and [`poll_for`] with a time limit.
//! - [`text`], [`parse`], [`Malformed`]: report a bad message and skip it.
//! - [`PeerWatch`]: wait until a socket has N peers, or N have left (no racing sleeps).
//! - [`generator`], [`randof`], [`workload`]: random numbers that `--seed` makes repeatable.
//! - [`dump`]: a message shown frame by frame (chapter 3's envelopes).
//! - [`Message`]: a multipart message as one value, its envelope wrapped and unwrapped.
//! - [`one_line`]: a message's frames in a one-line report.
//! - [`join`], [`spawn_piped`], [`PipedThread`], [`bound_endpoint`]: threads that end cleanly.
//! - [`IpcDir`]: ipc:// endpoints in a folder of their own, removed at the end.
//! - [`Cluster`]: what chapter 3's cluster brokers share: names, checks, reply routes.
//! - [`Store`]: an SQLite database to store into, with one-line errors.
//! - [`Reactor`]: handlers for readable sockets and timers, one loop (the guide's `zloop`).
//!
//! The modules:
//!
//! - [`catalogue`]: every lesson, its page and its processes (one source of truth).
//! - [`cluster`]: what chapter 3's brokers of a cluster share.
//! - [`endpoint`]: bind and connect with the endpoint checked first.
//! - [`frames`]: a message shown frame by frame, as the guide's `s_dump`.
//! - [`ipc`]: ipc:// endpoints in a folder of their own (chapter 3's brokers).
//! - [`interrupt`]: Ctrl-C as a flag, and waits that give up when it is set.
//! - [`malformed`]: reporting and skipping bad messages.
//! - [`message`]: a multipart message as one value (the guide's `zmsg`).
//! - [`perf`]: what the ports of libzmq's measuring tools share.
//! - [`peers`]: wait until a socket has N peers, or N have left (no racing sleeps).
//! - [`random`]: a random generator that a `--seed` makes reproducible.
//! - [`reactor`]: readers on sockets and timers, called from one poll loop.
//! - [`runner`]: start a lesson's processes, relay their output, stop them.
//! - [`store`]: an SQLite database that the case studies store into.
//! - [`threads`]: threads joined, and told to stop over a pipe.

pub mod catalogue;
pub mod cluster;
pub mod endpoint;
pub mod frames;
pub mod interrupt;
pub mod ipc;
pub mod malformed;
pub mod message;
pub mod peers;
pub mod perf;
pub mod random;
pub mod reactor;
pub mod runner;
pub mod store;
pub mod threads;

pub use cluster::Cluster;
pub use endpoint::{bind, connect};
pub use frames::{dump, one_line};
pub use interrupt::{
    Waited, interrupted, poll, poll_for, proxy, sleep_ms, wait_for_enter, wait_readable,
    wait_readable_for, wait_writable,
};
pub use ipc::IpcDir;
pub use malformed::{Malformed, parse, text};
pub use message::Message;
pub use peers::PeerWatch;
pub use random::{generator, randof, workload};
pub use reactor::Reactor;
pub use store::Store;
pub use threads::{PipedThread, bound_endpoint, join, spawn_piped};

use std::process::ExitCode;

// ANCHOR: main
/// Every example's `main`: parse the arguments (clap prints `--help` and argument
/// errors itself), install the Ctrl-C hook, run, and turn an error into one line
/// on stderr and exit status 1.
pub fn main<A: clap::Parser>(run: fn(A) -> anyhow::Result<()>) -> ExitCode {
    // Like a C program, end quietly when the reader of our output goes away
    // (`| head`), instead of panicking on the failed write.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = A::parse();
    let outcome = interrupt::install().and_then(|()| run(args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // The signal can cut short whatever ZeroMQ call it lands in, not only
        // a wait: after Ctrl-C, that is the program stopping, not an error.
        Err(error)
            if interrupt::interrupted()
                && matches!(error.downcast_ref(), Some(zmq::Error::EINTR)) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}: error: {error:#}", program_name());
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

/// The running program's file name, to prefix its messages on stderr.
pub fn program_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|arg0| {
            std::path::Path::new(&arg0)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "workbook".into())
}
