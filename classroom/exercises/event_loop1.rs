// event_loop1: drain the socket before you wait again.
//
// The page: "Blocking calls beside an event loop" (case studies). An event
// loop does not call `recv` and wait: it watches the socket's descriptor
// (ZMQ_FD) with everything else it watches, and reads only when ZeroMQ
// signals it. `drain` is what the loop calls after each wake-up: make it take
// in everything the socket has queued, without ever blocking, so that the
// next wake-up comes. The tests play the loop and the sender, over inproc.

/// Read the messages `socket` has queued, without blocking, and return them
/// in order. The event loop calls this after each wake-up of the socket's
/// descriptor, and then waits on the descriptor again.
fn drain(socket: &zmq::Socket) -> zmq::Result<Vec<Vec<u8>>> {
    let mut messages = Vec::new();
    // TODO: this reads at most one message per wake-up. The descriptor
    // signals when the socket's queue goes from empty to not empty, as the
    // socket sees it, so a loop that leaves messages behind is never woken
    // for them. Read until ZMQ_EVENTS says there is nothing left.
    if socket.get_events()?.contains(zmq::POLLIN) {
        messages.push(socket.recv_bytes(zmq::DONTWAIT)?);
    }
    Ok(messages)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long the loop waits for a signal before it calls the wait a stall.
    const PATIENCE_MS: i64 = 1000;

    /// A PULL socket bound at an inproc endpoint, and a PUSH connected to it.
    fn pair(context: &zmq::Context) -> (zmq::Socket, zmq::Socket) {
        let pull = context.socket(zmq::PULL).unwrap();
        pull.set_linger(0).unwrap();
        pull.bind("inproc://event-loop1").unwrap();
        let push = context.socket(zmq::PUSH).unwrap();
        push.set_linger(0).unwrap();
        push.set_sndtimeo(1000).unwrap();
        push.connect("inproc://event-loop1").unwrap();
        (pull, push)
    }

    /// The event loop: drain, then wait on the descriptor (poll(2) on it, as
    /// any event loop would), until `count` messages are in. Err on a wait
    /// that times out, saying how many messages were read and how many were
    /// left in the queue.
    fn event_loop(pull: &zmq::Socket, count: usize) -> Result<Vec<Vec<u8>>, String> {
        let fd = pull.get_fd().unwrap();
        let mut received = Vec::new();
        loop {
            received.extend(drain(pull).unwrap());
            if received.len() >= count {
                return Ok(received);
            }
            let mut items = [zmq::PollItem::from_fd(fd, zmq::POLLIN)];
            if zmq::poll(&mut items, PATIENCE_MS).unwrap() == 0 {
                let mut queued = 0;
                while pull.get_events().unwrap().contains(zmq::POLLIN) {
                    pull.recv_bytes(zmq::DONTWAIT).unwrap();
                    queued += 1;
                }
                return Err(format!(
                    "the loop read {} message(s), then waited {PATIENCE_MS} ms for a \
                     signal that never came, with {queued} more queued. The \
                     descriptor is edge-triggered: it signals when the queue goes \
                     from empty to not empty, and the socket only knows it is empty \
                     once it has been read empty. Read until ZMQ_EVENTS no longer \
                     says POLLIN",
                    received.len()
                ));
            }
        }
    }

    fn burst(push: &zmq::Socket, first: usize, count: usize) {
        for n in first..first + count {
            push.send(format!("message {n}").as_str(), 0).unwrap();
        }
    }

    fn numbered(first: usize, count: usize) -> Vec<Vec<u8>> {
        (first..first + count)
            .map(|n| format!("message {n}").into_bytes())
            .collect()
    }

    #[test]
    fn a_burst_is_read_whole_after_one_wakeup() {
        let context = zmq::Context::new();
        let (pull, push) = pair(&context);
        burst(&push, 1, 5);
        match event_loop(&pull, 5) {
            Ok(received) => assert_eq!(received, numbered(1, 5), "in the order sent"),
            Err(stall) => panic!("{stall}"),
        }
    }

    #[test]
    fn a_later_burst_wakes_the_loop_again() {
        let context = zmq::Context::new();
        let (pull, push) = pair(&context);
        burst(&push, 1, 3);
        let first = event_loop(&pull, 3).unwrap_or_else(|stall| panic!("{stall}"));
        assert_eq!(first, numbered(1, 3));
        // The loop is waiting again; more arrives from another thread.
        let sender = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            burst(&push, 4, 3);
            push
        });
        let second = event_loop(&pull, 3).unwrap_or_else(|stall| panic!("{stall}"));
        sender.join().unwrap();
        assert_eq!(second, numbered(4, 3));
    }

    #[test]
    fn draining_an_empty_socket_returns_at_once() {
        let context = zmq::Context::new();
        let (pull, _push) = pair(&context);
        let started = std::time::Instant::now();
        let messages = drain(&pull).unwrap();
        assert!(
            messages.is_empty() && started.elapsed() < std::time::Duration::from_millis(500),
            "drain must never wait: an event loop calls it from its only thread"
        );
    }
}
