// hwm1: room for exactly N messages, and a sender that never waits.
//
// The page: "High-Water Marks" (chapter 2). `pipe` makes a PUSH socket and a
// PULL socket joined over inproc, with room for exactly `room` messages
// between them while the PULL socket reads nothing. `offer` sends messages
// to the PUSH socket without ever waiting: those that fit are queued, those
// that do not are refused, and it counts both. Write the HWMs in `pipe`, and
// the sending in `offer`.

/// A PUSH socket connected over inproc to a PULL socket bound at `endpoint`,
/// with room for exactly `room` (2 or more) messages between them.
fn pipe(
    context: &zmq::Context,
    endpoint: &str,
    room: i32,
) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
    let pull = context.socket(zmq::PULL)?;
    let push = context.socket(zmq::PUSH)?;
//>exercise
    // TODO: Over inproc the two sockets share one pipe. How do the sender's
    // SNDHWM and the receiver's RCVHWM combine into its size? (And 0 means
    // no limit at all.)
    pull.set_rcvhwm(room)?;
    push.set_sndhwm(room)?;
//>solution
    // The pipe holds SNDHWM + RCVHWM; neither may be 0.
    pull.set_rcvhwm(room / 2)?;
    push.set_sndhwm(room - room / 2)?;
//>end
    pull.bind(endpoint)?;
    push.connect(endpoint)?;
    Ok((push, pull))
}

/// Send each message without waiting for room: (queued, refused).
fn offer(push: &zmq::Socket, messages: &[&str]) -> zmq::Result<(usize, usize)> {
//>exercise
    // TODO: A send with flags 0 waits while the pipe is full. Which flag
    // makes it return at once instead, and with which error? Count those as
    // refused; any other error is a real one.
    let mut queued = 0;
    for message in messages {
        push.send(*message, 0)?;
        queued += 1;
    }
    Ok((queued, 0))
//>solution
    let (mut queued, mut refused) = (0, 0);
    for message in messages {
        match push.send(*message, zmq::DONTWAIT) {
            Ok(()) => queued += 1,
            Err(zmq::Error::EAGAIN) => refused += 1,
            Err(error) => return Err(error),
        }
    }
    Ok((queued, refused))
//>end
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages "1", "2", … "n".
    fn numbered(n: usize) -> Vec<String> {
        (1..=n).map(|i| i.to_string()).collect()
    }

    /// `pipe`, with bounded waits: a send that waits gives up after 1 s.
    fn bounded_pipe(context: &zmq::Context, endpoint: &str, room: i32) -> (zmq::Socket, zmq::Socket) {
        let (push, pull) = pipe(context, endpoint, room).unwrap();
        push.set_sndtimeo(1000).unwrap();
        push.set_linger(0).unwrap();
        pull.set_rcvtimeo(1000).unwrap();
        (push, pull)
    }

    #[test]
    fn the_pipe_has_room_for_exactly_room_messages() {
        for room in [10, 5, 2] {
            let context = zmq::Context::new();
            let (push, _pull) = bounded_pipe(&context, "inproc://room", room);
            let mut fitted = 0;
            while fitted <= 10_000 && push.send("x", zmq::DONTWAIT).is_ok() {
                fitted += 1;
            }
            assert!(
                fitted == room,
                "with room {room}, {fitted} messages fitted before the pipe was \
                 full. Over inproc the pipe holds the sender's SNDHWM plus the \
                 receiver's RCVHWM, and a high-water mark of 0 means no limit"
            );
        }
    }

    #[test]
    fn offer_never_waits_and_counts_what_was_refused() {
        let context = zmq::Context::new();
        let (push, _pull) = bounded_pipe(&context, "inproc://offer", 2);
        // Room or not, `offer` works with whatever the pipe takes.
        let messages = numbered(25);
        let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        let counted = offer(&push, &messages);
        let waited = started.elapsed();
        let (queued, refused) = counted.unwrap_or_else(|error| {
            panic!(
                "offer failed with {error:?} after {waited:?}: a send with flags 0 \
                 waited for room (the test gave up waiting after 1 s). \
                 zmq::DONTWAIT makes a send return at once, with EAGAIN when \
                 there is no room"
            )
        });
        assert_eq!(queued + refused, 25, "every message counted once");
        assert!(refused > 0, "the pipe cannot take 25: some must be refused");
    }

    #[test]
    fn the_first_ones_are_queued_in_order() {
        let context = zmq::Context::new();
        let (push, pull) = bounded_pipe(&context, "inproc://order", 10);
        let messages = numbered(25);
        let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
        let counted = offer(&push, &messages);
        assert!(
            matches!(counted, Ok((10, 15))),
            "offer counted {counted:?}, expected Ok((10, 15)): room for 10, \
             and 15 refused with EAGAIN"
        );
        for expected in &messages[..10] {
            let got = pull.recv_string(0).expect("a queued message").unwrap();
            assert_eq!(got, *expected, "the queued messages are the first ten");
        }
    }
}
