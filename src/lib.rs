//! The workbook's shared part: what several examples, the `workbook` runner and
//! the tests need once, so each example can read top to bottom like the guide.
//!
//! - [`catalogue`]: every lesson, its page and its processes (one source of truth).
//! - [`interrupt`]: Ctrl-C as a flag, and waits that give up when it is set.
//! - [`socket`]: bind, connect and receive with errors that name the endpoint.
//! - [`perf`]: what the ports of libzmq's measuring tools share.
//! - [`peers`]: wait until a bound socket has N peers (no racing sleeps).
//! - [`random`]: a random generator that a `--seed` makes reproducible.
//! - [`runner`]: start a lesson's processes, relay their output, stop them.

pub mod catalogue;
pub mod interrupt;
pub mod peers;
pub mod perf;
pub mod random;
pub mod runner;
pub mod socket;

pub use socket::{Malformed, SocketExt};

use std::process::ExitCode;

/// Every example's `main`: parse the arguments (clap prints `--help` and argument
/// errors itself), install the Ctrl-C hook, run, and turn an error into one line
/// on stderr and exit status 1.
pub fn main<A: clap::Parser>(run: fn(A) -> anyhow::Result<()>) -> ExitCode {
    // Like a C program, end quietly when the reader of our output goes away
    // (`| head`), instead of panicking on the failed write.
    // SAFETY: setting a signal's disposition to its default, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = A::parse();
    let outcome = interrupt::install().and_then(|()| run(args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}: error: {error:#}", program_name());
            ExitCode::FAILURE
        }
    }
}

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
