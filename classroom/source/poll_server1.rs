// poll_server1: a server that notices when nothing happens.
//
// The page: "A poller server with many clients" (case studies). `serve` answers
// the REQ clients of a bound ROUTER socket, each reply going back to the
// client that asked, and returns how many requests it served once
// `timeout_ms` has passed with no request at all. The tests play the clients.

/// Serve "Hello" requests on `server`, a bound ROUTER socket, with "World";
/// return how many were served once a wait of `timeout_ms` milliseconds
/// brings no request.
fn serve(server: &zmq::Socket, timeout_ms: i64) -> zmq::Result<u32> {
    let mut served = 0;
    loop {
//>exercise
        // TODO: `recv_multipart` waits until a request comes; it only gives
        // up when the socket's own receive timeout (ZMQ_RCVTIMEO) runs out,
        // and then it is an error. Wait for a request at most `timeout_ms`
        // first, and return `Ok(served)` if none came.
//>solution
        // A poll with a time limit: 0 items ready means the time passed
        // with no request.
        if server.poll(zmq::POLLIN, timeout_ms)? == 0 {
            return Ok(served);
        }
//>end
        // [identity, "", "Hello"]: the ROUTER socket put the client's
        // identity in front, and the reply goes to whoever it names.
        let request = server.recv_multipart(0)?;
        let identity = &request[0];
        server.send_multipart([&identity[..], b"", b"World"], 0)?;
        served += 1;
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::time::{Duration, Instant};

    /// The socket's own receive timeout, the tests' safety net: far longer
    /// than the quiet time `serve` is given.
    const RCVTIMEO_MS: i32 = 4000;

    /// A bound ROUTER socket and its endpoint: inproc://, of this test's
    /// own. (On tcp:// a port the system picks can be one another test's
    /// client is still trying to reconnect to, and its request would land
    /// here.)
    fn server(context: &zmq::Context) -> (zmq::Socket, String) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let server = context.socket(zmq::ROUTER).unwrap();
        server.set_linger(0).unwrap();
        server.set_rcvtimeo(RCVTIMEO_MS).unwrap();
        let endpoint = format!("inproc://poll-server-{}", NEXT.fetch_add(1, Ordering::Relaxed));
        server.bind(&endpoint).unwrap();
        (server, endpoint)
    }

    /// A REQ client in a thread: `requests` requests, each reply checked.
    fn client(
        context: &zmq::Context,
        endpoint: String,
        requests: u32,
    ) -> thread::JoinHandle<Vec<String>> {
        let context = context.clone(); // inproc:// works within one context.
        thread::spawn(move || {
            let client = context.socket(zmq::REQ).unwrap();
            client.set_linger(0).unwrap();
            client.set_rcvtimeo(3000).unwrap();
            client.connect(&endpoint).unwrap();
            let mut replies = Vec::new();
            for _ in 0..requests {
                client.send("Hello", 0).unwrap();
                match client.recv_string(0) {
                    Ok(Ok(reply)) => replies.push(reply),
                    _ => break,
                }
            }
            replies
        })
    }

    #[test]
    fn serves_three_clients_then_returns_when_they_go_quiet() {
        let context = zmq::Context::new();
        let (server, endpoint) = server(&context);
        let clients: Vec<_> = (0..3).map(|_| client(&context, endpoint.clone(), 4)).collect();
        let started = Instant::now();
        let served = serve(&server, 500);
        let took = started.elapsed();
        let replies: Vec<Vec<String>> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        match served {
            Ok(served) => assert_eq!(
                served, 12,
                "serve returned {served}, expected 12: three clients, four requests each"
            ),
            Err(error) => panic!(
                "serve failed with {error:?} after {took:?}: that is the socket's own \
                 receive timeout ({RCVTIMEO_MS} ms), an error. Poll the socket for \
                 POLLIN with a time limit of `timeout_ms` before each receive, and \
                 return Ok(served) when the poll finds nothing"
            ),
        }
        for replies in &replies {
            assert_eq!(replies, &["World"; 4], "each client got its four replies");
        }
        assert!(
            took < Duration::from_millis(3000),
            "serve took {took:?} to notice 500 ms without a request"
        );
    }

    #[test]
    fn waits_out_the_quiet_time_before_returning() {
        let context = zmq::Context::new();
        let (server, endpoint) = server(&context);
        // The client comes 200 ms late: a shorter wait would miss it.
        let late = {
            let context = context.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(200));
                client(&context, endpoint, 1).join().unwrap()
            })
        };
        let started = Instant::now();
        let served = serve(&server, 600);
        let took = started.elapsed();
        let replies = late.join().unwrap();
        assert!(
            matches!(served, Ok(1)),
            "serve returned {served:?} after {took:?}, expected Ok(1): a client asks \
             200 ms after the start, and serve should wait up to 600 ms for it, then \
             600 ms more before it returns"
        );
        assert_eq!(replies, ["World"]);
        assert!(
            took >= Duration::from_millis(750),
            "serve returned after {took:?}: it should wait 600 ms after the last request"
        );
    }
}
