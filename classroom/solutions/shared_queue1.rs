// shared_queue1: a broker passes each message on whole.
//
// The page: "Shared Queue (DEALER and ROUTER sockets)" (chapter 2). Clients'
// REQ sockets connect to the broker's ROUTER, workers' REP sockets to its
// DEALER, and the broker's poll loop moves every message from one socket to
// the other. A request, as the ROUTER hands it over, is several frames: the
// client's name, an empty delimiter, then "Hello". Make `forward` move one
// message, all of its frames, as rrbroker's `forward` does. The tests run the
// rest of the broker, with workers and clients around it.

/// Move the next message waiting on `from` to `to`: every frame of it, in
/// order, and sent so that `to`'s peer receives them as one message.
fn forward(from: &zmq::Socket, to: &zmq::Socket) -> zmq::Result<()> {
    loop {
        let frame = from.recv_msg(0)?;
        let more = frame.get_more();
        to.send(frame, if more { zmq::SNDMORE } else { 0 })?;
        if !more {
            return Ok(());
        }
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    /// How long a test waits for a message, in milliseconds.
    const WAIT_MS: i32 = 3000;

    fn socket(context: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
        let socket = context.socket(kind).unwrap();
        socket.set_linger(0).unwrap();
        socket.set_rcvtimeo(WAIT_MS).unwrap();
        socket.set_sndtimeo(WAIT_MS).unwrap();
        socket
    }

    #[test]
    fn forward_passes_every_frame_on_as_one_message() {
        let context = zmq::Context::new();
        let sender = socket(&context, zmq::PAIR);
        sender.bind("inproc://shared-queue1-in").unwrap();
        let from = socket(&context, zmq::PAIR);
        from.connect("inproc://shared-queue1-in").unwrap();
        let to = socket(&context, zmq::PAIR);
        to.bind("inproc://shared-queue1-out").unwrap();
        let receiver = socket(&context, zmq::PAIR);
        receiver.connect("inproc://shared-queue1-out").unwrap();

        let request: Vec<&[u8]> = vec![b"client 7", b"", b"Hello"];
        sender.send_multipart(&request, 0).unwrap();
        sender.send("next message", 0).unwrap();
        forward(&from, &to).expect("forward");
        let passed = receiver
            .recv_multipart(0)
            .expect("a message from forward within 3 s");
        assert_eq!(
            passed,
            request,
            "forward passed on {:?} as one message; it should pass on all \
             three frames {:?}, in order, as one message",
            strings(&passed),
            strings(&request),
        );
        // The next message is left for the next call.
        let next = from.recv_bytes(zmq::DONTWAIT);
        assert_eq!(
            next.as_deref(),
            Ok(&b"next message"[..]),
            "forward should take one message from `from`, no more and no less"
        );
    }

    fn strings<T: AsRef<[u8]>>(frames: &[T]) -> Vec<String> {
        frames
            .iter()
            .map(|f| String::from_utf8_lossy(f.as_ref()).into_owned())
            .collect()
    }

    /// rrbroker around `forward`: a ROUTER for clients, a DEALER for workers
    /// (each on a port of its own: the exercises run side by side), and a
    /// poll loop between them, until the test ends.
    struct Broker {
        frontend: String,
        backend: String,
        stop: Arc<AtomicBool>,
    }

    impl Broker {
        fn start(context: &zmq::Context) -> Broker {
            let frontend = socket(context, zmq::ROUTER);
            frontend.bind("tcp://127.0.0.1:*").unwrap();
            let backend = socket(context, zmq::DEALER);
            backend.bind("tcp://127.0.0.1:*").unwrap();
            let stop = Arc::new(AtomicBool::new(false));
            let broker = Broker {
                frontend: frontend.get_last_endpoint().unwrap().unwrap(),
                backend: backend.get_last_endpoint().unwrap().unwrap(),
                stop: stop.clone(),
            };
            thread::spawn(move || -> zmq::Result<()> {
                while !stop.load(Ordering::SeqCst) {
                    let mut items = [
                        frontend.as_poll_item(zmq::POLLIN),
                        backend.as_poll_item(zmq::POLLIN),
                    ];
                    zmq::poll(&mut items, 100)?;
                    if items[0].is_readable() {
                        forward(&frontend, &backend)?;
                    }
                    if items[1].is_readable() {
                        forward(&backend, &frontend)?;
                    }
                }
                Ok(())
            });
            broker
        }

        /// A worker, as rrworker: a REP socket that answers "World from N".
        fn add_worker(&self, context: &zmq::Context, n: usize) {
            let worker = socket(context, zmq::REP);
            worker.set_rcvtimeo(100).unwrap();
            worker.connect(&self.backend).unwrap();
            let stop = self.stop.clone();
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if worker.recv_bytes(0).is_ok() {
                        let _ = worker.send(format!("World from {n}").as_str(), 0);
                    }
                }
            });
        }
    }

    impl Drop for Broker {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn clients_get_their_replies_through_the_broker() {
        let context = zmq::Context::new();
        let broker = Broker::start(&context);
        for n in 1..=2 {
            broker.add_worker(&context, n);
        }
        let clients: Vec<zmq::Socket> = (0..4)
            .map(|_| {
                let client = socket(&context, zmq::REQ);
                client.connect(&broker.frontend).unwrap();
                client
            })
            .collect();
        for round in 0..3 {
            for client in &clients {
                client.send("Hello", 0).unwrap();
            }
            for (number, client) in clients.iter().enumerate() {
                match client.recv_string(0) {
                    Ok(Ok(reply)) => assert!(
                        reply.starts_with("World from "),
                        "client {number}: the reply is {reply:?}, not \"World from N\""
                    ),
                    Ok(Err(bytes)) => panic!("client {number}: the reply is not text: {bytes:?}"),
                    Err(error) => panic!(
                        "client {number}, request {round}: no reply within {} s \
                         ({error}). The ROUTER hands the broker each request as \
                         three frames: the client's name, an empty delimiter, \
                         \"Hello\". A worker's REP socket takes only a whole \
                         message with that envelope, and the ROUTER routes the \
                         reply back only if it arrives whole, name first: does \
                         forward pass every frame on, as one message?",
                        WAIT_MS / 1000
                    ),
                }
            }
        }
    }
}
