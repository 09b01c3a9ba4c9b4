// asyncsrv1: the reply needs its address.
//
// The page: "The Asynchronous Client/Server Pattern" (chapter 3). The
// server's ROUTER puts the client's routing id in front of each request and
// passes both frames to a worker's DEALER. The server routes each reply by
// its first frame, so every reply must carry the routing id in front again.
// Make `answer` send the request's text back `replies` times, each reply
// addressed to the client that asked. The tests play the server.

/// Take one request ([routing id, text]) and send the text back `replies`
/// times, addressed to the client that asked.
fn answer(worker: &zmq::Socket, replies: u32) -> zmq::Result<()> {
    let request = worker.recv_multipart(0)?;
    let (identity, content) = (&request[0], &request[1]);
    for _ in 0..replies {
        // The client's routing id first, then the reply.
        worker.send_multipart([identity, content], 0)?;
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The server's DEALER backend, and a worker's DEALER connected to it.
    fn server_and_worker(context: &zmq::Context) -> (zmq::Socket, zmq::Socket) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://asyncsrv1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let server = context.socket(zmq::DEALER).unwrap();
        server.set_rcvtimeo(1000).unwrap();
        server.bind(&endpoint).unwrap();
        let worker = context.socket(zmq::DEALER).unwrap();
        worker.connect(&endpoint).unwrap();
        (server, worker)
    }

    fn shown(frames: &[Vec<u8>]) -> Vec<String> {
        frames
            .iter()
            .map(|f| String::from_utf8_lossy(f).into())
            .collect()
    }

    #[test]
    fn each_reply_carries_the_clients_routing_id() {
        let context = zmq::Context::new();
        let (server, worker) = server_and_worker(&context);
        server
            .send_multipart(["CLIENT-1", "request #1"], 0)
            .unwrap();
        answer(&worker, 2).unwrap();
        for n in 1..=2 {
            let reply = server
                .recv_multipart(0)
                .expect("two replies within a second");
            assert_eq!(
                shown(&reply),
                ["CLIENT-1", "request #1"],
                "reply {n}: the server routes a reply by its first frame, the \
                 client's routing id, then sends the client the rest"
            );
        }
    }

    #[test]
    fn two_clients_each_get_their_own() {
        let context = zmq::Context::new();
        let (server, worker) = server_and_worker(&context);
        for (client, request) in [("A", "request #1"), ("B", "request #7")] {
            server.send_multipart([client, request], 0).unwrap();
            answer(&worker, 1).unwrap();
            let reply = server.recv_multipart(0).expect("a reply within a second");
            assert_eq!(
                shown(&reply),
                [client, request],
                "the reply for client {client}"
            );
        }
        answer_none_sends_nothing(&server, &worker);
    }

    /// Zero replies is an answer too: nothing is sent.
    fn answer_none_sends_nothing(server: &zmq::Socket, worker: &zmq::Socket) {
        server.send_multipart(["C", "request #2"], 0).unwrap();
        answer(worker, 0).unwrap();
        assert!(
            server.recv_multipart(0).is_err(),
            "no reply for zero replies"
        );
    }
}
