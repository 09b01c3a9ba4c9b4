// bind_connect1: send before the peer is there, and close without losing
// what is queued, or hanging.
//
// The page: "Plugging Sockets into the Topology" (chapter 2). A sender starts
// before its peer: the peer binds its endpoint later, maybe a moment later,
// maybe never. Make `send_ahead` queue its messages at once, and close so that
// a peer that binds within LINGER_MS of the close still gets every one, and a
// peer that never comes keeps the sender waiting no longer than that. The
// tests play a peer that comes late, and no peer at all.

/// How long queued messages wait for the peer after the close, in ms: long
/// enough for a peer that binds late to be reached (the sender retries every
/// 100 ms) even on a busy machine.
const LINGER_MS: i32 = 3000;

/// Queue `messages` for the PULL peer that binds `endpoint`, whether it is
/// there yet or not, with a context of its own (as a process of its own would
/// have); return once they are delivered, or LINGER_MS after the close.
fn send_ahead(endpoint: &str, messages: &[&str]) -> zmq::Result<()> {
    let context = zmq::Context::new();
    let sender = context.socket(zmq::PUSH)?;
    // TODO: The peer binds this endpoint, later. A socket that binds waits
    // for peers to connect to it, and until one does, a PUSH socket has no
    // queue to send into: the sends below fail with EAGAIN ("Resource
    // temporarily unavailable"). Which call makes a queue for the peer at
    // once, whether or not it is there?
    sender.bind(endpoint)?;
    // TODO: And when the socket is closed with messages still queued, what
    // happens to them? By default (-1), terminating the context waits until
    // they are delivered, for ever if no peer ever comes; with 0 they are
    // dropped at once. Which socket option says how long they may wait?
    for message in messages {
        sender.send(*message, zmq::DONTWAIT)?;
    }
    Ok(())
    // Dropping `sender` closes it; dropping `context` then waits as long as
    // the linger says.
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    const MESSAGES: [&str; 3] = ["one", "two", "three"];

    /// An IPC endpoint of this test's own, where nothing listens yet: a
    /// path in the temporary directory, named after the process and the
    /// test (the exercises run side by side), removed when dropped. IPC
    /// rather than a TCP port picked by the system: such a port, free now,
    /// may be handed to another test before the peer binds it.
    struct Endpoint(std::path::PathBuf);

    impl Endpoint {
        fn new(test: &str) -> Endpoint {
            let name = format!("bind_connect1-{}-{test}.ipc", std::process::id());
            let path = std::env::temp_dir().join(name);
            let _ = std::fs::remove_file(&path);
            Endpoint(path)
        }

        fn address(&self) -> String {
            format!("ipc://{}", self.0.display())
        }
    }

    impl Drop for Endpoint {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// `send_ahead` in a thread of its own: what it returned, and when.
    fn send_in_thread(endpoint: &str) -> mpsc::Receiver<(zmq::Result<()>, Duration)> {
        let (done, outcome) = mpsc::channel();
        let endpoint = endpoint.to_string();
        std::thread::spawn(move || {
            let started = Instant::now();
            let result = send_ahead(&endpoint, &MESSAGES);
            let _ = done.send((result, started.elapsed()));
        });
        outcome
    }

    #[test]
    fn a_peer_that_binds_later_gets_every_message() {
        // A try proves something only if the peer bound well within the
        // linger: a machine too busy to manage even that gets another try.
        let mut too_late = Vec::new();
        for attempt in 1..=3 {
            match late_peer(attempt) {
                None => return,
                Some(bound_after) => too_late.push(bound_after),
            }
        }
        panic!(
            "in 3 tries the peer never bound within {} ms of the sender's start (it \
             took {too_late:?}): the machine is too busy to test this",
            LINGER_MS / 2
        );
    }

    /// The sender starts; its peer binds 200 ms later, late on purpose, and
    /// must receive every message. Panics if not; `Some(how late)` if the
    /// peer could not even bind within half the linger.
    fn late_peer(attempt: u32) -> Option<Duration> {
        let endpoint = Endpoint::new(&format!("late-peer-{attempt}"));
        let started = Instant::now();
        let outcome = send_in_thread(&endpoint.address());
        std::thread::sleep(Duration::from_millis(200));
        let context = zmq::Context::new();
        let peer = context.socket(zmq::PULL).unwrap();
        peer.set_linger(0).unwrap();
        peer.set_rcvtimeo(3000).unwrap();
        peer.bind(&endpoint.address()).unwrap();
        let bound_after = started.elapsed();
        let mut received = Vec::new();
        while received.len() < MESSAGES.len() {
            match peer.recv_string(0) {
                Ok(Ok(text)) => received.push(text),
                Ok(Err(bytes)) => panic!("the peer received bytes that are not text: {bytes:?}"),
                Err(_) => break,
            }
        }
        // send_ahead may have returned already: keep what it said.
        let early = outcome.try_recv().ok();
        if let Some((Err(error), _)) = &early {
            panic!(
                "send_ahead failed: {error}. A PUSH socket that binds has no queue until \
                 a peer connects; one that connects queues for its peer at once"
            );
        }
        if received != MESSAGES && bound_after > Duration::from_millis(LINGER_MS as u64 / 2) {
            return Some(bound_after);
        }
        assert!(
            received == MESSAGES,
            "a peer that bound {} ms late received {received:?} in 3 s, expected \
             {MESSAGES:?}: the messages must wait for it after the close (linger), not \
             be dropped with the socket (linger 0)",
            bound_after.as_millis()
        );
        // Delivered, it returns at once; the bound only catches a hang (a
        // linger of -1 waits for ever), and is generous for a busy machine.
        match early.map_or_else(|| outcome.recv_timeout(Duration::from_secs(15)), Ok) {
            Ok((Ok(()), _)) => None,
            Ok((Err(error), _)) => panic!("send_ahead failed: {error}"),
            Err(_) => panic!("send_ahead had not returned 15 s after its messages arrived"),
        }
    }

    #[test]
    fn with_no_peer_it_gives_up_after_the_linger() {
        let endpoint = Endpoint::new("no-peer");
        let outcome = send_in_thread(&endpoint.address());
        let patience = Duration::from_millis(LINGER_MS as u64) + Duration::from_secs(4);
        match outcome.recv_timeout(patience) {
            Ok((Ok(()), took)) => assert!(
                took >= Duration::from_millis(LINGER_MS as u64 / 2),
                "with no peer, send_ahead returned after {took:?}: the messages gave up \
                 at once. Expected them to wait up to {LINGER_MS} ms for a peer"
            ),
            Ok((Err(error), _)) => panic!(
                "send_ahead failed: {error}. A PUSH socket that binds has no queue until \
                 a peer connects; one that connects queues for its peer at once"
            ),
            Err(_) => panic!(
                "with no peer ever, send_ahead had not returned after {patience:?}: \
                 expected it to give up {LINGER_MS} ms after the close. With the default \
                 linger (-1), terminating the context waits for ever"
            ),
        }
    }
}
