//! High-water marks: a fast sender and a peer that reads nothing until the
//! sender is done. A PUB socket drops what does not fit; a PUSH socket refuses
//! it (EAGAIN with DONTWAIT, or a blocking send waits). Over inproc:// the
//! counts are exact: the pipe holds SNDHWM + RCVHWM messages. Over tcp:// the
//! kernel's socket buffers hold more, uncounted, and the figures vary.
//!
//! One process: both ends of every connection are its own sockets.
//!
//! Run it:            cargo run --example hwm
//! Or as the lesson:  cargo run -- run hwm
//! It exits by itself within a few seconds; Ctrl-C stops it sooner.

use clap::Parser;

/// High-water marks: what PUB and PUSH do when a peer does not keep up.
#[derive(Parser)]
struct Args {
    /// Where the PUB socket binds for the tcp:// round.
    #[arg(long, default_value = "tcp://127.0.0.1:5580")]
    pub_bind: String,
    /// Where the SUB socket connects for the tcp:// round.
    #[arg(long, default_value = "tcp://localhost:5580")]
    sub_connect: String,
    /// Where the PULL socket binds for the tcp:// round.
    #[arg(long, default_value = "tcp://127.0.0.1:5581")]
    pull_bind: String,
    /// Where the PUSH socket connects for the tcp:// round.
    #[arg(long, default_value = "tcp://localhost:5581")]
    push_connect: String,
    /// How many messages the publisher sends each time.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    messages: u32,
}

/// (SNDHWM, RCVHWM) pairs to try; 1000 is the default, 0 means no limit.
const HWMS: [(i32, i32); 4] = [(1000, 1000), (100, 100), (10, 10), (10, 0)];

/// How long a PUSH socket over tcp:// must have no room before we call it full.
const NO_ROOM_MS: i64 = 500;

/// The size of a message over inproc://, and over tcp:// (the kernel's buffers
/// count bytes, so bigger messages show their share as thousands, not millions).
const SMALL: usize = 10;
const LARGE: usize = 1000;

fn main() -> std::process::ExitCode {
    workbook::main(run)
}

// ANCHOR: main
fn run(args: Args) -> anyhow::Result<()> {
    let context = zmq::Context::new();
    // The tcp:// round's sockets first, so that a port in use is an error
    // before anything runs; they connect in the background meanwhile.
    let (tcp_publisher, tcp_subscriber) =
        pub_sub(&context, 1000, 1000, &args.pub_bind, &args.sub_connect)?;
    let (tcp_push, _tcp_pull) =
        push_pull(&context, 1000, 1000, &args.pull_bind, &args.push_connect)?;
    let n = args.messages;
    println!("{n} messages sent each time, to a peer that reads nothing until they are sent.");

    println!("PUB to SUB over inproc (PUB drops what does not fit):");
    for (i, (sndhwm, rcvhwm)) in HWMS.into_iter().enumerate() {
        let endpoint = format!("inproc://pub-{i}");
        let (publisher, subscriber) = pub_sub(&context, sndhwm, rcvhwm, &endpoint, &endpoint)?;
        publish(&publisher, n, SMALL)?;
        let arrived = drain(&subscriber, 0)?;
        println!("  {}: {}", hwms(sndhwm, rcvhwm), arrival(&arrived, n));
    }

    println!("PUSH to PULL over inproc, with DONTWAIT (PUSH does not drop, it refuses):");
    for (i, (sndhwm, rcvhwm)) in HWMS.into_iter().enumerate() {
        let endpoint = format!("inproc://push-{i}");
        let (push, _pull) = push_pull(&context, sndhwm, rcvhwm, &endpoint, &endpoint)?;
        let sent = fill(&push, &[&[0; SMALL]], n)?;
        println!("  {}: {}", hwms(sndhwm, rcvhwm), refusal(sent, n));
    }
    // The HWM counts messages, not frames.
    let (push, _pull) = push_pull(&context, 10, 10, "inproc://frames", "inproc://frames")?;
    let sent = fill(&push, &[b"one", b"two", b"three"], n)?;
    println!(
        "  {}, messages of 3 frames: {}",
        hwms(10, 10),
        refusal(sent, n)
    );

    println!(
        "A blocking send to the full PUSH socket ({}):",
        hwms(10, 10)
    );
    let (push, pull) = push_pull(&context, 10, 10, "inproc://block", "inproc://block")?;
    let queued = fill(&push, &[&[0; SMALL]], n)?;
    push.set_sndtimeo(100)?; // Without a timeout it would wait for ever.
    match push.send(&[0; SMALL][..], 0) {
        Err(zmq::Error::EAGAIN) => {
            println!("  with {queued} queued, it waits: gave up after SNDTIMEO (100 ms)")
        }
        Err(zmq::Error::EINTR) => return Ok(()), // Ctrl-C
        other => anyhow::bail!("a send to a full PUSH socket: {other:?}"),
    }
    let mut read = 0;
    while push.poll(zmq::POLLOUT, 0)? == 0 && read < queued {
        pull.recv_bytes(0)?;
        read += 1;
    }
    let more = fill(&push, &[&[0; SMALL]], n)?;
    println!("  room again only once PULL has read {read} of {queued}: then {more} more sent");

    if workbook::interrupted() {
        return Ok(());
    }
    println!("Over tcp, default HWMs, messages of {LARGE} bytes (varies from run to run):");
    if !subscribed(&tcp_publisher, &tcp_subscriber)? {
        return Ok(()); // Ctrl-C
    }
    publish(&tcp_publisher, n, LARGE)?;
    let arrived = drain(&tcp_subscriber, 100)?;
    println!(
        "  PUB to SUB: {} arrived, {} dropped",
        arrived.len(),
        n - arrived.len() as u32
    );
    let sent = fill_over_tcp(&tcp_push, n)?;
    if sent < n {
        println!("  PUSH to PULL: {sent} sent, then no room for {NO_ROOM_MS} ms");
    } else {
        println!("  PUSH to PULL: all {sent} sent");
    }
    Ok(())
}

/// A PUB socket bound at `bind` and a SUB socket, subscribed to everything,
/// connected to it at `connect`; the HWMs set before either connects.
fn pub_sub(
    context: &zmq::Context,
    sndhwm: i32,
    rcvhwm: i32,
    bind: &str,
    connect: &str,
) -> anyhow::Result<(zmq::Socket, zmq::Socket)> {
    let publisher = context.socket(zmq::PUB)?;
    publisher.set_sndhwm(sndhwm)?;
    publisher.set_linger(0)?;
    workbook::bind(&publisher, bind)?;
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.set_rcvhwm(rcvhwm)?;
    subscriber.set_linger(0)?;
    subscriber.set_subscribe(b"")?;
    workbook::connect(&subscriber, connect)?;
    Ok((publisher, subscriber))
}

/// A PULL socket bound at `bind` and a PUSH socket connected to it.
fn push_pull(
    context: &zmq::Context,
    sndhwm: i32,
    rcvhwm: i32,
    bind: &str,
    connect: &str,
) -> anyhow::Result<(zmq::Socket, zmq::Socket)> {
    let pull = context.socket(zmq::PULL)?;
    pull.set_rcvhwm(rcvhwm)?;
    pull.set_linger(0)?;
    workbook::bind(&pull, bind)?;
    let push = context.socket(zmq::PUSH)?;
    push.set_sndhwm(sndhwm)?;
    push.set_linger(0)?;
    workbook::connect(&push, connect)?;
    Ok((push, pull))
}

/// Publish messages 1 to `n` of `size` bytes, the number in the first four,
/// as fast as PUB takes them (it never waits).
fn publish(publisher: &zmq::Socket, n: u32, size: usize) -> zmq::Result<()> {
    let mut message = vec![0; size];
    for number in 1..=n {
        message[..4].copy_from_slice(&number.to_be_bytes());
        publisher.send(&message[..], 0)?;
    }
    Ok(())
}

/// Read every message the subscriber has, waiting up to `wait_ms` for each
/// after the first (0: only what is there now); their numbers.
fn drain(subscriber: &zmq::Socket, wait_ms: i64) -> zmq::Result<Vec<u32>> {
    let mut numbers = Vec::new();
    while ready(subscriber, zmq::POLLIN, wait_ms)? {
        let message = subscriber.recv_bytes(0)?;
        // The probes of `subscribed` are empty: only numbered messages count.
        if let Some(number) = message.first_chunk::<4>() {
            numbers.push(u32::from_be_bytes(*number));
        }
    }
    Ok(numbers)
}

/// Send `frames` as one message with DONTWAIT, up to `n` times, until EAGAIN;
/// how many were sent.
fn fill(push: &zmq::Socket, frames: &[&[u8]], n: u32) -> zmq::Result<u32> {
    let mut sent = 0;
    while sent < n {
        match push.send_multipart(frames, zmq::DONTWAIT) {
            Ok(()) => sent += 1,
            Err(zmq::Error::EAGAIN) => break,
            Err(error) => return Err(error),
        }
    }
    Ok(sent)
}
// ANCHOR_END: main

/// Over tcp, ZeroMQ's I/O thread empties the PUSH socket's pipe into the
/// kernel as it goes: on EAGAIN, wait for room, up to NO_ROOM_MS.
fn fill_over_tcp(push: &zmq::Socket, n: u32) -> zmq::Result<u32> {
    let mut sent = 0;
    while sent < n && !workbook::interrupted() {
        sent += fill(push, &[&[0; LARGE]], n - sent)?;
        if sent < n && !ready(push, zmq::POLLOUT, NO_ROOM_MS)? {
            break;
        }
    }
    Ok(sent)
}

/// Over tcp, a subscription takes a moment to reach the publisher, and until
/// then PUB sends nothing to that subscriber: send empty probes until one
/// arrives. False if Ctrl-C came first.
fn subscribed(publisher: &zmq::Socket, subscriber: &zmq::Socket) -> zmq::Result<bool> {
    while !workbook::interrupted() {
        publisher.send("", 0)?;
        if ready(subscriber, zmq::POLLIN, 10)? {
            subscriber.recv_bytes(0)?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `socket` is ready for `events` within `timeout_ms`; a poll cut
/// short by Ctrl-C (EINTR) counts as not ready.
fn ready(socket: &zmq::Socket, events: zmq::PollEvents, timeout_ms: i64) -> zmq::Result<bool> {
    match socket.poll(events, timeout_ms) {
        Ok(count) => Ok(count > 0),
        Err(zmq::Error::EINTR) => Ok(false),
        Err(error) => Err(error),
    }
}

/// "SNDHWM 10, RCVHWM 0 (no limit)".
fn hwms(sndhwm: i32, rcvhwm: i32) -> String {
    let shown = |hwm: i32| match hwm {
        0 => "0 (no limit)".to_string(),
        1000 => "1000 (the default)".to_string(),
        hwm => hwm.to_string(),
    };
    format!("SNDHWM {}, RCVHWM {}", shown(sndhwm), shown(rcvhwm))
}

/// "2000 arrived (1 to 2000), 98000 dropped", checking they are the first ones.
fn arrival(arrived: &[u32], n: u32) -> String {
    let count = arrived.len() as u32;
    let first_ones = arrived.iter().copied().eq(1..=count);
    let which = if first_ones {
        format!("1 to {count}")
    } else {
        "not the first ones".to_string()
    };
    format!("{count} arrived ({which}), {} dropped", n - count)
}

/// "2000 sent, then EAGAIN".
fn refusal(sent: u32, n: u32) -> String {
    if sent < n {
        format!("{sent} sent, then EAGAIN")
    } else {
        format!("all {sent} sent")
    }
}
