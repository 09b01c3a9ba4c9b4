//! Handling Ctrl-C the guide's way: a signal handler writes one byte to a pipe
//! (the self-pipe), and a REP server polls that pipe beside its socket, so
//! Ctrl-C wakes it at once, whatever it was waiting for. It answers each request
//! with "World", so hwclient can talk to it. Unix only.
//!
//! Run it:      cargo run --example interrupt
//! Then, in another terminal, the client: cargo run --example hwclient
//! Or both at once:                       cargo run -- run interrupt
//! Ctrl-C (or SIGTERM) stops it: "W: interrupt received, killing server…".

use std::process::ExitCode;

use clap::Parser;

/// A REP server that stops on Ctrl-C through a self-pipe it polls beside its socket.
#[derive(Parser)]
struct Args {
    /// Where to listen for clients.
    #[arg(long, default_value = "tcp://127.0.0.1:5555")]
    bind: String,
}

/// Its own `main`, not `workbook::main`: this example installs its own signal
/// handler, the point of the lesson, instead of the workbook's Ctrl-C hook.
fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("interrupt: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(unix))]
fn run(args: Args) -> anyhow::Result<()> {
    anyhow::bail!(
        "this example needs Unix (signals, sigaction and pipes); it would have served {}",
        args.bind
    )
}

#[cfg(unix)]
use std::io::Read as _;
#[cfg(unix)]
use std::os::fd::{AsRawFd as _, IntoRawFd as _, RawFd};
#[cfg(unix)]
use std::sync::atomic::{AtomicI32, Ordering};

// ANCHOR: main
/// The pipe's write end, where the signal handler finds it.
#[cfg(unix)]
static SIGNAL_FD: AtomicI32 = AtomicI32::new(-1);

/// The signal handler. It may only call async-signal-safe functions (no
/// println!, no lock, no allocation): write(2) is one. One byte is enough
/// to wake the poll; if the pipe is full, a byte is already waiting.
#[cfg(unix)]
extern "C" fn signal_handler(_signal: libc::c_int) {
    let fd = SIGNAL_FD.load(Ordering::Relaxed);
    // SAFETY: write(2) of one byte from a static buffer, to a descriptor
    // that stays open for the rest of the program.
    unsafe { libc::write(fd, b" ".as_ptr().cast(), 1) };
}

/// Catch Ctrl-C (SIGINT) and SIGTERM with `signal_handler`, which writes
/// to `fd`.
#[cfg(unix)]
fn catch_signals(fd: RawFd) -> std::io::Result<()> {
    SIGNAL_FD.store(fd, Ordering::Relaxed);
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: sigaction(2) with a handler, an empty mask, and no flags.
        // Without SA_RESTART, a blocking call the signal interrupts fails
        // with EINTR instead of carrying on.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction =
                signal_handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = 0;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let socket = context.socket(zmq::REP)?;
    workbook::bind(&socket, &args.bind)?;

    // The self-pipe. Its write end never blocks (a handler must not wait)
    // and is never closed (a handler may run until the very end).
    let (mut pipe_read, pipe_write) = std::io::pipe()?;
    let write_fd = pipe_write.into_raw_fd();
    // SAFETY: fcntl(2) on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(write_fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(write_fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
    }
    catch_signals(write_fd)?;

    loop {
        let mut items = [
            zmq::PollItem::from_fd(pipe_read.as_raw_fd(), zmq::POLLIN),
            socket.as_poll_item(zmq::POLLIN),
        ];
        match zmq::poll(&mut items, -1) {
            Ok(_) => {}
            // The signal cut the poll short; its byte is in the pipe, and
            // the next poll returns at once.
            Err(zmq::Error::EINTR) => continue,
            Err(error) => return Err(error.into()),
        }

        // The signal pipe.
        if items[0].is_readable() {
            pipe_read.read_exact(&mut [0u8; 1])?; // Take the byte.
            println!("W: interrupt received, killing server…");
            break;
        }

        // The socket. The poll said a request is there, so a receive
        // that would wait is not expected; if it would, poll again, so the
        // pipe is still watched.
        if items[1].is_readable() {
            let request = match socket.recv_multipart(zmq::DONTWAIT) {
                Ok(request) => request,
                Err(zmq::Error::EAGAIN | zmq::Error::EINTR) => continue,
                Err(error) => return Err(error.into()),
            };
            match workbook::text(request).as_deref() {
                Ok("Hello") => println!("W: recv"),
                Ok(other) => workbook::Malformed(format!("{other:?}, expected \"Hello\"")).report(),
                Err(malformed) => malformed.report(),
            }
            // A REP socket answers every request, even a malformed one.
            socket.send("World", 0)?;
        }
    }
    println!("W: cleaning up");
    Ok(())
}
// ANCHOR_END: main
