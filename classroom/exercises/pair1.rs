// pair1: the bound side of an exclusive pair.
//
// The page: "Exclusive Pair" (chapter 2). `bound_pair` makes the socket that
// binds, like `pairpeer --bind`: it must talk both ways with its one peer.
// `send_numbered` sends it numbered messages, and must wait for the peer to
// be there rather than fail, as pairpeer does. The tests play the peer that
// connects, sometimes late.

/// How long `send_numbered` waits for the peer, at most, in milliseconds.
const WAIT_MS: i64 = 3000;

/// The socket that binds `endpoint`, for one peer to connect to: it sends to
/// that peer and receives from it.
fn bound_pair(context: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket> {
    // TODO: A PUSH socket only sends. Which socket type talks both ways with
    // exactly one peer, itself of the same type?
    let socket = context.socket(zmq::PUSH)?;
    socket.set_linger(0)?;
    socket.bind(endpoint)?;
    Ok(socket)
}

/// Send "1", "2", … "count" to the peer, waiting (WAIT_MS at most) for it
/// to be there.
fn send_numbered(socket: &zmq::Socket, count: u32) -> zmq::Result<()> {
    for number in 1..=count {
        // TODO: A bound PAIR socket has no queue to send into until its peer
        // connects: this send fails with EAGAIN if it is not there yet. Wait
        // first until the socket can take a message (poll it for POLLOUT, at
        // most WAIT_MS), and fail with EAGAIN only if it still cannot.
        socket.send(number.to_string().as_str(), zmq::DONTWAIT)?;
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The bound side, and a PAIR peer of the test's own connected to it,
    /// `late_ms` after the bind.
    fn pair_with_peer(
        late_ms: u64,
    ) -> (
        zmq::Context,
        zmq::Socket,
        std::thread::JoinHandle<zmq::Socket>,
    ) {
        let context = zmq::Context::new();
        let bound = bound_pair(&context, "tcp://127.0.0.1:*").unwrap();
        let endpoint = bound.get_last_endpoint().unwrap().expect("an endpoint");
        let peer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(late_ms));
            let context = zmq::Context::new();
            let peer = context.socket(zmq::PAIR).unwrap();
            peer.set_linger(0).unwrap();
            peer.set_rcvtimeo(3000).unwrap();
            peer.set_sndtimeo(3000).unwrap();
            peer.connect(&endpoint).unwrap();
            // The socket keeps its context alive.
            peer
        });
        (context, bound, peer)
    }

    #[test]
    fn the_pair_talks_both_ways() {
        let (_context, bound, peer) = pair_with_peer(0);
        let kind = bound.get_socket_type().unwrap();
        assert!(
            kind == zmq::PAIR,
            "bound_pair made a {kind:?} socket, expected PAIR: it must send to its \
             peer and receive from it, and only a PAIR talks to a PAIR"
        );
        let peer = peer.join().unwrap();
        peer.send("hello from the peer", 0).unwrap();
        bound.set_rcvtimeo(3000).unwrap();
        let heard = bound.recv_string(0);
        assert!(
            matches!(&heard, Ok(Ok(text)) if text == "hello from the peer"),
            "the bound socket did not receive the peer's message in 3 s: {heard:?}"
        );
        bound.send("hello back", 0).unwrap();
        let reply = peer.recv_string(0);
        assert!(
            matches!(&reply, Ok(Ok(text)) if text == "hello back"),
            "the peer did not receive the bound socket's reply in 3 s: {reply:?}"
        );
    }

    #[test]
    fn sending_waits_for_a_late_peer() {
        let (_context, bound, peer) = pair_with_peer(300);
        // The peer connects 300 ms from now: the first send must wait for it.
        if let Err(error) = send_numbered(&bound, 3) {
            panic!(
                "send_numbered failed ({error}) while its peer was on its way (300 ms \
                 late): a bound PAIR cannot send before its peer connects, so wait \
                 until it can (poll for POLLOUT) before each send"
            );
        }
        let peer = peer.join().unwrap();
        let mut received = Vec::new();
        for _ in 1..=3 {
            match peer.recv_string(0) {
                Ok(Ok(text)) => received.push(text),
                other => panic!("the peer got {received:?}, then {other:?}, expected 1, 2, 3"),
            }
        }
        assert_eq!(
            received,
            ["1", "2", "3"],
            "what the peer received, in order"
        );
    }

    #[test]
    fn with_no_peer_sending_gives_up_with_eagain() {
        let context = zmq::Context::new();
        let bound = bound_pair(&context, "tcp://127.0.0.1:*").unwrap();
        let started = std::time::Instant::now();
        let result = send_numbered(&bound, 1);
        let waited = started.elapsed();
        assert!(
            result == Err(zmq::Error::EAGAIN),
            "with no peer ever, send_numbered returned {result:?}, expected Err(EAGAIN)"
        );
        assert!(
            waited >= Duration::from_millis(WAIT_MS as u64 / 2),
            "with no peer, send_numbered gave up after {waited:?}: expected it to wait \
             for one, up to {WAIT_MS} ms"
        );
    }
}
