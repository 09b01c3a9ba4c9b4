// performance1: a sender that gives up rather than wait for ever.
//
// The page: "Measuring performance" (the performance chapter), "High-water
// marks bound the queues". A PUSH socket queues what it sends until the
// receiver takes it; when the receiver stops reading, the queue fills, and
// then `send` waits. Make `bounded_sender` return a PUSH socket, connected to
// `endpoint`, that queues at most 10 messages of its own, and whose `send`
// gives up after 100 ms with EAGAIN when the queue is full. The tests play a
// receiver that stops reading.

/// A PUSH socket connected to `endpoint`, with a small queue and a send that
/// waits at most 100 ms.
fn bounded_sender(context: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket> {
    let sender = context.socket(zmq::PUSH)?;
    sender.set_sndhwm(10)?;
    sender.set_sndtimeo(100)?;
    // Options first: a connection is set up with the high-water marks the
    // socket has when it connects.
    sender.connect(endpoint)?;
    Ok(sender)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// How long the test lets the sending run before calling it blocked.
    const PATIENCE: Duration = Duration::from_secs(3);
    /// More than 10 queued by the sender and 10 by the receiver, with room to
    /// spare; far fewer than the default high-water mark of 1000.
    const AT_MOST: usize = 100;

    /// What the sending thread reports once a send fails.
    struct Stalled {
        accepted: usize,
        error: zmq::Error,
        waited: Duration,
        sender: zmq::Socket,
    }

    /// Send numbered messages from `bounded_sender` to a PULL socket that
    /// takes at most 10 into its own queue and never reads, until a send
    /// fails. Returns the receiver too, so that a test can read afterwards.
    fn send_until_refused(context: &zmq::Context, endpoint: &str) -> (Stalled, zmq::Socket) {
        let receiver = context.socket(zmq::PULL).unwrap();
        receiver.set_linger(0).unwrap();
        receiver.set_rcvhwm(10).unwrap();
        receiver.set_rcvtimeo(1000).unwrap();
        receiver.bind(endpoint).unwrap();

        let sender = bounded_sender(context, endpoint).expect("bounded_sender makes a socket");
        sender.set_linger(0).unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let (report, reported) = mpsc::channel();
        std::thread::spawn({
            let accepted = Arc::clone(&accepted);
            move || {
                for number in 0.. {
                    let started = Instant::now();
                    if let Err(error) = sender.send(number.to_string().as_str(), 0) {
                        let accepted = accepted.load(Ordering::SeqCst);
                        let waited = started.elapsed();
                        let _ = report.send(Stalled {
                            accepted,
                            error,
                            waited,
                            sender,
                        });
                        return;
                    }
                    accepted.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        match reported.recv_timeout(PATIENCE) {
            Ok(stalled) => (stalled, receiver),
            Err(_) => panic!(
                "send blocked for more than {} s, after {} messages were accepted: \
                 the receiver has stopped reading, and `send` should give up after 100 ms",
                PATIENCE.as_secs(),
                accepted.load(Ordering::SeqCst)
            ),
        }
    }

    #[test]
    fn send_gives_up_soon_when_the_receiver_stops_reading() {
        let context = zmq::Context::new();
        let (stalled, _receiver) = send_until_refused(&context, "inproc://performance1-soon");
        assert_eq!(
            stalled.error,
            zmq::Error::EAGAIN,
            "a send that waited too long fails with EAGAIN; this one failed with {}",
            stalled.error
        );
        assert!(
            stalled.accepted < AT_MOST,
            "{} messages were queued before send gave up, expected fewer than {AT_MOST}: \
             the receiver holds 10, so the sender's own queue is not bounded \
             (its high-water mark is 1000 unless set)",
            stalled.accepted
        );
        assert!(
            stalled.waited < Duration::from_secs(1),
            "the send that failed waited {:?}, expected 100 ms or so",
            stalled.waited
        );
    }

    #[test]
    fn nothing_queued_is_lost() {
        let context = zmq::Context::new();
        let (stalled, receiver) = send_until_refused(&context, "inproc://performance1-lost");
        // The receiver starts reading: every message accepted arrives, in order,
        for number in 0..stalled.accepted {
            match receiver.recv_string(0) {
                Ok(Ok(message)) => assert_eq!(message, number.to_string(), "message {number}"),
                Ok(Err(bytes)) => panic!("message {number} is not text: {bytes:?}"),
                Err(error) => panic!(
                    "message {number} of the {} accepted did not arrive ({error})",
                    stalled.accepted
                ),
            }
        }
        // and the sender may send again (a send timeout of 0 ms may need a
        // few tries before the sender hears that the queue has room).
        let started = Instant::now();
        while let Err(error) = stalled.sender.send("again", 0) {
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "the receiver has read all {} queued messages, yet send still fails \
                 a second later ({error}): was the high-water mark set before `connect`?",
                stalled.accepted
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(receiver.recv_string(0), Ok(Ok("again".to_string())));
    }
}
