//! Identities and addresses: a ROUTER socket receives a request from an
//! anonymous REQ socket and from one whose routing id is "PEER2", and shows
//! each message frame by frame. ROUTER puts the sender's routing id in front
//! of every message, one it made up for the anonymous peer, the peer's own
//! for the other; then comes REQ's empty delimiter, then the request.
//!
//! Run it:      cargo run --example identity
//! Or:          cargo run -- run identity
//! One process, its sockets joined over inproc://; it exits by itself.

use clap::Parser;

/// Identities: a ROUTER shows what an anonymous and a named REQ send it.
#[derive(Parser)]
struct Args {}

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(_args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    let sink = context.socket(zmq::ROUTER)?;
    workbook::bind(&sink, "inproc://example")?;

    // First allow ZeroMQ to set the routing id.
    let anonymous = context.socket(zmq::REQ)?;
    workbook::connect(&anonymous, "inproc://example")?;
    anonymous.send("ROUTER uses a generated 5 byte identity", 0)?;
    if !workbook::wait_readable(&sink)? {
        return Ok(()); // Ctrl-C
    }
    print!("{}", workbook::dump(&sink.recv_multipart(0)?));

    // Then set the routing id ourselves, before connecting: it is sent to
    // the ROUTER when the connection is made.
    let identified = context.socket(zmq::REQ)?;
    identified.set_identity(b"PEER2")?;
    workbook::connect(&identified, "inproc://example")?;
    identified.send("ROUTER socket uses REQ's socket identity", 0)?;
    if !workbook::wait_readable(&sink)? {
        return Ok(());
    }
    print!("{}", workbook::dump(&sink.recv_multipart(0)?));
    Ok(())
}
// ANCHOR_END: main
