// msgqueue1: the two sockets of a message queue.
//
// The page: "ZeroMQ's Built-In Proxy Function" (chapter 2). msgqueue binds
// one socket for clients (the frontend) and one for workers (the backend),
// and hands both to the proxy, which passes every message across, both ways.
// Make `queue_sockets` create them. The tests run the proxy on them, with REQ
// clients on the frontend and REP workers on the backend, as rrclient and
// rrworker.

/// The broker's frontend, bound at `frontend` for REQ clients, and its
/// backend, bound at `backend` for REP workers, ready for `zmq::proxy`.
fn queue_sockets(
    context: &zmq::Context,
    frontend: &str,
    backend: &str,
) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
    let clients = context.socket(zmq::ROUTER)?;
    let workers = context.socket(zmq::DEALER)?;
    clients.bind(frontend)?;
    workers.bind(backend)?;
    Ok((clients, workers))
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    /// How long a client waits for its reply, in milliseconds.
    const WAIT_MS: i32 = 3000;
    /// How many workers stand behind the queue.
    const WORKERS: usize = 2;

    /// msgqueue around `queue_sockets`: the proxy in a thread, workers that
    /// answer "World from N", on ports of their own (the exercises run side
    /// by side). Stopped when the test ends.
    struct Queue {
        context: zmq::Context,
        frontend: String,
        /// Says "TERMINATE" to the proxy.
        control: zmq::Socket,
        stop: Arc<AtomicBool>,
        /// What the two sockets are, to say what is wrong.
        types: (zmq::SocketType, zmq::SocketType),
    }

    impl Queue {
        fn start() -> Queue {
            let context = zmq::Context::new();
            let (mut clients, mut workers) =
                queue_sockets(&context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")
                    .expect("queue_sockets");
            let frontend = clients.get_last_endpoint().unwrap().expect("bound");
            let backend = workers.get_last_endpoint().unwrap().expect("bound");
            let types = (
                clients.get_socket_type().unwrap(),
                workers.get_socket_type().unwrap(),
            );
            clients.set_linger(0).unwrap();
            workers.set_linger(0).unwrap();

            let control = context.socket(zmq::PAIR).unwrap();
            control.set_linger(0).unwrap();
            control.set_sndtimeo(1000).unwrap();
            control.bind("inproc://msgqueue1-control").unwrap();
            let mut steering = context.socket(zmq::PAIR).unwrap();
            steering.connect("inproc://msgqueue1-control").unwrap();
            thread::spawn(move || zmq::proxy_steerable(&mut clients, &mut workers, &mut steering));

            let stop = Arc::new(AtomicBool::new(false));
            for n in 1..=WORKERS {
                let worker = context.socket(zmq::REP).unwrap();
                worker.set_linger(0).unwrap();
                worker.set_rcvtimeo(100).unwrap();
                worker.connect(&backend).unwrap();
                let stop = stop.clone();
                thread::spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        if worker.recv_bytes(0).is_ok() {
                            let _ = worker.send(format!("World from {n}").as_str(), 0);
                        }
                    }
                });
            }
            Queue {
                context,
                frontend,
                control,
                stop,
                types,
            }
        }

        /// "Hello" from `count` REQ clients at once; their replies, each
        /// within WAIT_MS.
        fn ask_at_once(&self, count: usize) -> Vec<String> {
            let clients: Vec<zmq::Socket> = (0..count)
                .map(|_| {
                    let client = self.context.socket(zmq::REQ).unwrap();
                    client.set_linger(0).unwrap();
                    client.set_rcvtimeo(WAIT_MS).unwrap();
                    client.connect(&self.frontend).unwrap();
                    client
                })
                .collect();
            for client in &clients {
                client.send("Hello", 0).unwrap();
            }
            clients
                .iter()
                .enumerate()
                .map(|(number, client)| match client.recv_string(0) {
                    Ok(Ok(reply)) => reply,
                    Ok(Err(bytes)) => panic!("client {number}: the reply is not text: {bytes:?}"),
                    Err(error) => panic!("{}", self.why_no_reply(number, error)),
                })
                .collect()
        }

        fn why_no_reply(&self, client: usize, error: zmq::Error) -> String {
            let mut why = format!(
                "client {client}: no reply within {} s ({error}). ",
                WAIT_MS / 1000
            );
            let (frontend, backend) = self.types;
            if frontend != zmq::ROUTER {
                why.push_str(&format!(
                    "The frontend is a {frontend:?}: it takes requests from \
                     REQ clients, but does not note which client sent each, \
                     so no reply can be sent back to the right one. "
                ));
            }
            if backend != zmq::DEALER {
                why.push_str(&format!(
                    "The backend is a {backend:?}: it sends each message to \
                     the peer its first frame names, and deals nothing out \
                     to the workers in turn. "
                ));
            }
            if frontend == zmq::ROUTER && backend == zmq::DEALER {
                why.push_str("The sockets are a ROUTER and a DEALER, as msgqueue's.");
            } else {
                why.push_str("msgqueue's two sockets are the pair to use.");
            }
            why
        }
    }

    impl Drop for Queue {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            let _ = self.control.send("TERMINATE", 0);
        }
    }

    #[test]
    fn several_clients_at_once_each_get_a_reply() {
        let queue = Queue::start();
        for (client, reply) in queue.ask_at_once(4).iter().enumerate() {
            assert!(
                reply.starts_with("World from "),
                "client {client}: the reply is {reply:?}, not \"World from N\""
            );
        }
    }

    #[test]
    fn the_requests_are_shared_among_the_workers() {
        let queue = Queue::start();
        let mut answered = BTreeSet::new();
        // The first requests may come before both workers are connected.
        for _ in 0..5 {
            answered.extend(queue.ask_at_once(2 * WORKERS));
            if answered.len() == WORKERS {
                return;
            }
        }
        panic!(
            "every reply came from one worker ({answered:?}): the backend \
             should deal the requests out among all the workers connected to it"
        );
    }
}
