//! What libzmq's measuring tools share, ported once: the stopwatch, the lines
//! they print, and blocking send/receive that still notice Ctrl-C.
//!
//! The printed lines are exactly those of the C tools (`local_thr`, `remote_lat`,
//! `inproc_thr`, …), so a script that reads one reads the other; [`Figures`]
//! reads them back for the benchmark.

use std::time::{Duration, Instant};

use crate::interrupt;

/// Microseconds since `start`, as libzmq's `zmq_stopwatch_stop` counts them.
pub fn elapsed_us(start: Instant) -> u64 {
    start.elapsed().as_micros().try_into().unwrap_or(u64::MAX)
}

/// The four lines `local_thr` and `inproc_thr` print.
///
/// Throughput counts every message but the first: the clock starts when the
/// first one arrives, so connection setup is not measured.
pub fn print_throughput(message_size: usize, message_count: u64, elapsed_us: u64) {
    let elapsed_us = elapsed_us.max(1) as f64;
    let throughput = message_count as f64 / elapsed_us * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as u64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// The three lines `remote_lat` and `inproc_lat` print. Latency is half a
/// round trip: the time one message takes one way.
pub fn print_latency(message_size: usize, roundtrip_count: u64, elapsed_us: u64) {
    let latency = elapsed_us as f64 / (roundtrip_count as f64 * 2.0);
    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {latency:.3} [us]");
}

/// Let blocking `send` and `recv` on `socket` give up after one slice
/// ([`interrupt::SLICE_MS`]), so [`recv`] and [`send`] can look at the Ctrl-C
/// flag between waits. A timeout costs nothing while messages flow: libzmq only
/// reads the clock when it has to wait.
pub fn wake_every_slice(socket: &zmq::Socket) -> zmq::Result<()> {
    socket.set_rcvtimeo(interrupt::SLICE_MS as i32)?;
    socket.set_sndtimeo(interrupt::SLICE_MS as i32)
}

/// Receive into `message`, reusing it; `Ok(false)` once Ctrl-C was pressed
/// (and the socket will not wait to deliver what it has queued).
#[inline]
pub fn recv(socket: &zmq::Socket, message: &mut zmq::Message) -> zmq::Result<bool> {
    patiently(socket, || socket.recv(message, 0))
}

/// Send the message `make` builds; `Ok(false)` once Ctrl-C was pressed (and
/// the socket will not wait to deliver what it has queued). A send that times
/// out drops its message, so `make` builds the next try.
///
/// Inlined into the example's loop: at millions of messages a second, even a
/// call and a `zmq_msg_size` per message show in the figures.
#[inline]
pub fn send_with(
    socket: &zmq::Socket,
    mut make: impl FnMut() -> zmq::Message,
) -> zmq::Result<bool> {
    patiently(socket, || socket.send(make(), 0))
}

/// Try `attempt` (a send or receive on `socket`) until it succeeds, looking
/// at the Ctrl-C flag after every try: after a timeout, when the peer is
/// silent, and after a success too, or a run whose messages never stop
/// flowing would never notice. The flag is one load from memory.
#[inline]
fn patiently(
    socket: &zmq::Socket,
    mut attempt: impl FnMut() -> zmq::Result<()>,
) -> zmq::Result<bool> {
    loop {
        let outcome = attempt();
        if interrupt::interrupted() {
            return give_up(socket);
        }
        match outcome {
            Ok(()) => return Ok(true),
            Err(zmq::Error::EAGAIN | zmq::Error::EINTR) => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Send `message` as [`send_with`] does. The tools only ever send zeros, so a
/// try after a timeout sends a fresh message of zeros of the same size.
#[inline]
pub fn send(socket: &zmq::Socket, message: zmq::Message) -> zmq::Result<bool> {
    let size = message.len();
    let mut first = Some(message);
    send_with(socket, || {
        first
            .take()
            .unwrap_or_else(|| zmq::Message::with_size(size))
    })
}

/// Ctrl-C: drop whatever `socket` still has queued when it closes, or
/// terminating the context would wait for a peer that may never come.
fn give_up(socket: &zmq::Socket) -> zmq::Result<bool> {
    socket.set_linger(0)?;
    Ok(false)
}

/// Terminate `context`, which waits until every message sent is delivered (as
/// `zmq_ctx_term` does for the C tools), unless Ctrl-C comes first: then leave
/// the undelivered messages behind rather than hang.
pub fn flush_and_term(context: zmq::Context) {
    let terminating = std::thread::spawn(move || drop(context));
    while !terminating.is_finished() {
        if interrupt::interrupted() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What one run of a measuring tool printed, read back from its lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub message_size: Option<u64>,
    pub message_count: Option<u64>,
    pub roundtrip_count: Option<u64>,
    pub messages_per_second: Option<u64>,
    pub megabits_per_second: Option<f64>,
    pub latency_us: Option<f64>,
}

impl Figures {
    /// Read the lines of `local_thr`, `inproc_thr`, `remote_lat` or
    /// `inproc_lat`, C or Rust. Unknown lines are ignored; a known line with a
    /// value that does not parse is an error.
    pub fn parse(output: &str) -> Result<Figures, String> {
        let mut figures = Figures::default();
        for line in output.lines() {
            let Some((name, value)) = line.split_once(": ") else {
                continue;
            };
            let (number, unit) = value.split_once(' ').unwrap_or((value, ""));
            match (name, unit) {
                ("message size", "[B]") => figures.message_size = Some(read(number, line)?),
                ("message count", "") => figures.message_count = Some(read(number, line)?),
                ("roundtrip count", "") => figures.roundtrip_count = Some(read(number, line)?),
                ("mean throughput", "[msg/s]") => {
                    figures.messages_per_second = Some(read(number, line)?)
                }
                ("mean throughput", "[Mb/s]") => {
                    figures.megabits_per_second = Some(read(number, line)?)
                }
                ("average latency", "[us]") => figures.latency_us = Some(read(number, line)?),
                _ => {}
            }
        }
        Ok(figures)
    }
}

/// The number in a tool's line, or an error that quotes the line.
fn read<T: std::str::FromStr>(number: &str, line: &str) -> Result<T, String> {
    number.parse().map_err(|_| format!("cannot read {line:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_c_tools_lines() {
        let thr = "message size: 16 [B]\nmessage count: 1000000\n\
                   mean throughput: 4242424 [msg/s]\nmean throughput: 543.030 [Mb/s]\n";
        let figures = Figures::parse(thr).unwrap();
        assert_eq!(figures.message_size, Some(16));
        assert_eq!(figures.message_count, Some(1_000_000));
        assert_eq!(figures.messages_per_second, Some(4_242_424));
        assert_eq!(figures.megabits_per_second, Some(543.03));

        let lat = "message size: 256 [B]\nroundtrip count: 10000\naverage latency: 31.337 [us]\n";
        let figures = Figures::parse(lat).unwrap();
        assert_eq!(figures.roundtrip_count, Some(10_000));
        assert_eq!(figures.latency_us, Some(31.337));
        assert_eq!(figures.messages_per_second, None);
    }

    #[test]
    fn a_known_line_with_a_bad_value_is_an_error() {
        let error = Figures::parse("average latency: fast [us]").unwrap_err();
        assert!(error.contains("average latency: fast"), "{error}");
    }
}
