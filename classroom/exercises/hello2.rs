// hello2: a client that gives up.
//
// The page: "Ask and Ye Shall Receive" (chapter 1). hwclient sends "Hello"
// and waits for "World" for as long as it takes, but a client cannot count on
// a server being there. Make `ask` send one "Hello" and wait at most
// `timeout_ms` for the reply (`Ok(None)` when none comes), and leave nothing
// behind that would keep the program from exiting. The tests play a server
// that answers, and then no server at all.

/// Send "Hello" to the server at `endpoint`, and wait at most `timeout_ms`
/// for its reply: `Some(reply)`, or `None` when no reply came in time.
fn ask(context: &zmq::Context, endpoint: &str, timeout_ms: i32) -> zmq::Result<Option<String>> {
    let requester = context.socket(zmq::REQ)?;
    // TODO: A connect timeout bounds each attempt to reach the server, and
    // ZeroMQ goes on trying in the background: a connect does not fail
    // because no server is there yet. What must give up is the wait for the
    // reply. Which socket option bounds how long a receive waits?
    requester.set_connect_timeout(timeout_ms)?;
    // TODO: With no server, the "Hello" sent below stays queued in the
    // socket. Closing the socket does not throw it away: by default, dropping
    // the context then waits for it to be delivered, for ever. Which socket
    // option says how long to wait? (The page's NOTE says what hwclient does.)
    requester.connect(endpoint)?;
    requester.send("Hello", 0)?;
    match requester.recv_bytes(0) {
        Ok(reply) => Ok(Some(String::from_utf8_lossy(&reply).into_owned())),
        // A receive that waited out its timeout: no reply.
        Err(zmq::Error::EAGAIN) => Ok(None),
        Err(error) => Err(error),
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// How long `ask` may wait for a reply when no server answers.
    const TIMEOUT_MS: i32 = 500;
    /// How long the tests wait, beyond that, before calling something stuck.
    const PATIENCE: Duration = Duration::from_secs(3);

    /// A call of `ask` in a thread of its own, with a context of its own.
    struct Asking {
        /// What `ask` returned, and how long it took.
        answered: mpsc::Receiver<(zmq::Result<Option<String>>, Duration)>,
        /// Said once the context is dropped, after `ask` returns.
        closed: mpsc::Receiver<()>,
    }

    fn ask_in_thread(endpoint: String, timeout_ms: i32) -> Asking {
        let (answer, answered) = mpsc::channel();
        let (close, closed) = mpsc::channel();
        std::thread::spawn(move || {
            let context = zmq::Context::new();
            let started = Instant::now();
            let result = ask(&context, &endpoint, timeout_ms);
            let _ = answer.send((result, started.elapsed()));
            // Terminates the context: this waits for the context's sockets to
            // be closed, and for their lingering messages.
            drop(context);
            let _ = close.send(());
        });
        Asking { answered, closed }
    }

    /// A TCP endpoint where nothing listens: bound by a socket of the test's
    /// own, which is then closed with its context, so that the port is free
    /// and nobody answers there.
    fn endpoint_with_no_server() -> String {
        let context = zmq::Context::new();
        let socket = context.socket(zmq::REP).unwrap();
        socket.set_linger(0).unwrap();
        socket.bind("tcp://127.0.0.1:*").unwrap();
        socket.get_last_endpoint().unwrap().expect("an endpoint")
    }

    /// What `ask` returned with no server, once it returned.
    fn ask_with_no_server(asking: &Asking) -> (zmq::Result<Option<String>>, Duration) {
        let patience = Duration::from_millis(TIMEOUT_MS as u64) + PATIENCE;
        asking.answered.recv_timeout(patience).unwrap_or_else(|_| {
            panic!(
                "with no server, ask(…, {TIMEOUT_MS}) had not returned after {patience:?}: \
                 expected it to wait {TIMEOUT_MS} ms for a reply, then return Ok(None). \
                 Is the receive still waiting for a reply that never comes?"
            )
        })
    }

    #[test]
    fn a_server_answers_world() {
        let context = zmq::Context::new();
        let responder = context.socket(zmq::REP).unwrap();
        responder.set_linger(0).unwrap();
        responder.set_rcvtimeo(3000).unwrap();
        responder.set_sndtimeo(3000).unwrap();
        responder.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = responder.get_last_endpoint().unwrap().expect("an endpoint");
        let server = std::thread::spawn(move || {
            let request = responder.recv_bytes(0)?;
            responder.send("World", 0)?;
            Ok::<_, zmq::Error>(request)
        });

        // A server is there: a timeout of 3 s leaves it time to answer.
        let asking = ask_in_thread(endpoint, 3000);
        match asking
            .answered
            .recv_timeout(Duration::from_secs(3) + PATIENCE)
        {
            Ok((Ok(Some(reply)), _)) => {
                assert_eq!(reply, "World", "the reply ask returned, from a server")
            }
            Ok((Ok(None), waited)) => panic!(
                "ask returned None after {waited:?}, with a server that answers \"World\": \
                 expected Some(\"World\")"
            ),
            Ok((Err(error), _)) => {
                panic!("ask failed ({error}) with a server that answers: expected Some(\"World\")")
            }
            Err(_) => panic!(
                "ask had not returned after 6 s, with a server that answers \"World\" at once"
            ),
        }
        match server.join().unwrap() {
            Ok(request) => assert_eq!(request, b"Hello", "the request the server received"),
            Err(error) => panic!("the server got no request ({error})"),
        }
    }

    #[test]
    fn gives_up_when_no_server_answers() {
        let asking = ask_in_thread(endpoint_with_no_server(), TIMEOUT_MS);
        match ask_with_no_server(&asking) {
            (Ok(None), waited) => assert!(
                waited >= Duration::from_millis(TIMEOUT_MS as u64 / 2),
                "with no server, ask returned None after {waited:?}: expected it to wait \
                 {TIMEOUT_MS} ms for a reply first"
            ),
            (Ok(Some(reply)), _) => {
                panic!("with no server, ask returned Some({reply:?}): expected None")
            }
            (Err(error), _) => panic!(
                "with no server, ask failed ({error}): expected Ok(None), for no reply in time"
            ),
        }
    }

    #[test]
    fn closing_does_not_wait_for_the_unanswered_request() {
        let asking = ask_in_thread(endpoint_with_no_server(), TIMEOUT_MS);
        // What ask returns is the other test's business; this one needs it to
        // return, and then drops the context.
        let _ = ask_with_no_server(&asking);
        if asking.closed.recv_timeout(PATIENCE).is_err() {
            panic!(
                "ask returned, but closing the context did not finish within {} s: the \
                 unanswered \"Hello\" is still queued, and the socket's linger says to wait \
                 for it (by default, for ever)",
                PATIENCE.as_secs()
            );
        }
    }
}
