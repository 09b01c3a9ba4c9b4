//! An exclusive pair between two threads: the parent binds a PAIR socket on
//! inproc://, then starts a child thread that connects its own PAIR socket in
//! the same context. They take turns: ping from the parent, pong from the
//! child, a few times over.
//!
//! Run it:               cargo run --example pairthreads
//! Or the whole lesson:  cargo run -- run pair
//! It exits by itself, at once.

use clap::Parser;

/// PAIR between two threads over inproc://: numbered pings and pongs.
#[derive(Parser)]
struct Args {
    /// How many pings, each answered by a pong.
    #[arg(long, default_value_t = 3)]
    count: u32,
}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    // The parent binds first, then starts the child that connects.
    let parent = context.socket(zmq::PAIR)?;
    workbook::bind(&parent, "inproc://pair")?;
    let child = {
        let context = context.clone();
        std::thread::spawn(move || child(&context, args.count))
    };

    for number in 1..=args.count {
        println!("parent: ping {number}");
        parent.send(format!("ping {number}").as_str(), 0)?;
        let Some(pong) = receive(&parent)? else {
            break; // Ctrl-C
        };
        println!("parent: got {pong:?}");
    }
    child
        .join()
        .map_err(|_| anyhow::anyhow!("the child thread panicked"))?
}

fn child(context: &zmq::Context, count: u32) -> anyhow::Result<()> {
    let socket = context.socket(zmq::PAIR)?;
    workbook::connect(&socket, "inproc://pair")?;
    for number in 1..=count {
        let Some(ping) = receive(&socket)? else {
            break; // Ctrl-C
        };
        // Each line is printed before the message that lets the other
        // thread go on: the two threads' lines cannot come out of order.
        println!("child:  got {ping:?}, pong {number}");
        socket.send(format!("pong {number}").as_str(), 0)?;
    }
    Ok(())
}
// ANCHOR_END: main

/// The next message on `socket`, as text; `None` if Ctrl-C came first.
fn receive(socket: &zmq::Socket) -> anyhow::Result<Option<String>> {
    if !workbook::wait_readable(socket)? {
        return Ok(None);
    }
    let text = workbook::text(socket.recv_multipart(0)?);
    // Only this program's two threads talk here: a malformed message is a bug.
    Ok(Some(
        text.map_err(|malformed| anyhow::anyhow!("{malformed}"))?,
    ))
}
