// msreader1: read what is waiting, and nothing more.
//
// The page: "Handling Multiple Sockets: reading without blocking" (chapter 2).
// msreader reads two sockets in one loop, so it must never wait on either: it
// reads each socket until nothing is left, then moves on. Make `drain` return
// every message waiting on `socket`, in the order they came, and return as
// soon as none is left. The tests play the sender.

/// Every message waiting on `socket`, read without waiting for more.
fn drain(socket: &zmq::Socket) -> zmq::Result<Vec<String>> {
    let mut messages = Vec::new();
    loop {
        let received = socket.recv_bytes(zmq::DONTWAIT);
        match received {
            Ok(message) => messages.push(String::from_utf8_lossy(&message).into_owned()),
            Err(zmq::Error::EAGAIN) => return Ok(messages),
            Err(error) => return Err(error),
        }
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A PULL socket, as msreader's task receiver, with `messages` waiting on
    /// it, sent by a PUSH socket, as the ventilator's. The sender is returned
    /// too: it must stay open while the test reads.
    fn socket_with_waiting(messages: &[&str]) -> (zmq::Context, zmq::Socket, zmq::Socket) {
        let context = zmq::Context::new();
        let receiver = context.socket(zmq::PULL).unwrap();
        receiver.set_linger(0).unwrap();
        // Should drain wait, the wait ends after 2 s with EAGAIN, not never.
        receiver.set_rcvtimeo(2000).unwrap();
        receiver.bind("inproc://msreader1").unwrap();
        let sender = context.socket(zmq::PUSH).unwrap();
        sender.set_linger(0).unwrap();
        sender.set_sndtimeo(2000).unwrap();
        sender.connect("inproc://msreader1").unwrap();
        for message in messages {
            sender
                .send(*message, 0)
                .expect("the test sends its messages");
        }
        if !messages.is_empty() {
            // Wait (at most 2 s) until they have arrived.
            let readable = receiver.poll(zmq::POLLIN, 2000).unwrap();
            assert!(
                readable > 0,
                "the test's messages did not arrive within 2 s"
            );
        }
        (context, receiver, sender)
    }

    /// Drain the socket, and check that it gave back `expected` at once.
    fn check_drain(receiver: &zmq::Socket, expected: &[&str]) {
        let started = Instant::now();
        let result = drain(receiver);
        let elapsed = started.elapsed().as_secs_f64();
        let waiting = match expected.len() {
            0 => "nothing waiting".to_string(),
            n => format!("{n} messages waiting"),
        };
        let messages = match result {
            Ok(messages) => messages,
            Err(zmq::Error::EAGAIN) if elapsed >= 1.0 => panic!(
                "drain took {elapsed:.1} s, with {waiting}: once nothing was left \
                 to read, it waited for another message, until the test's 2 s \
                 receive timeout stopped it with EAGAIN. It should return at once."
            ),
            Err(zmq::Error::EAGAIN) => panic!(
                "drain returned the error EAGAIN, with {waiting}: expected \
                 Ok({expected:?}). EAGAIN from a receive that does not wait means \
                 nothing is left to read: the drain is done, not failed."
            ),
            Err(error) => panic!("drain failed, with {waiting}: {error}"),
        };
        assert_eq!(
            messages, expected,
            "drain should return every message waiting, in the order sent"
        );
        assert!(
            elapsed < 1.0,
            "drain returned {messages:?} as expected, but only after {elapsed:.1} s: \
             it waited for one more message until the test's 2 s receive timeout \
             gave up. With nothing left to read it should return at once."
        );
    }

    #[test]
    fn returns_every_waiting_message_in_order() {
        let messages = ["task 1", "task 2", "task 3"];
        let (_context, receiver, _sender) = socket_with_waiting(&messages);
        check_drain(&receiver, &messages);
    }

    #[test]
    fn returns_at_once_when_nothing_is_waiting() {
        let (_context, receiver, _sender) = socket_with_waiting(&[]);
        check_drain(&receiver, &[]);
    }
}
