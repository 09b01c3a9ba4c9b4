// mtserver1: the worker threads of a multithreaded server.
//
// The page: "Multithreading with ZeroMQ" (chapter 2). Clients talk to a
// ROUTER socket; a proxy passes their requests to a DEALER socket bound to
// inproc://workers, which deals them out to worker threads. Make `worker`
// give each thread the socket it needs to take part, as mtserver's
// `worker_routine` does. The tests build the rest of the server (the ROUTER,
// the DEALER, the proxy, three threads running `worker`) and play several
// clients at once.

use std::time::Duration;

/// One worker thread: take the requests that the DEALER bound at `endpoint`
/// deals out, and answer each with "World from worker ID", until something
/// fails. `context` is the server's own context, shared by all its threads.
fn worker(context: &zmq::Context, endpoint: &str, id: usize) -> zmq::Result<()> {
    let receiver = context.socket(zmq::REP)?;
    receiver.connect(endpoint)?;
    loop {
        let request = receiver.recv_bytes(0)?;
        println!(
            "Worker {id} received {:?}",
            String::from_utf8_lossy(&request)
        );
        // Do some "work", then answer: a REP socket answers every request.
        std::thread::sleep(Duration::from_millis(100));
        receiver.send(format!("World from worker {id}").as_str(), 0)?;
    }
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::mpsc;

    /// Where the DEALER is bound and the workers go.
    const WORKERS: &str = "inproc://workers";
    /// How many worker threads the server runs.
    const THREADS: usize = 3;
    /// How long a client waits for its reply, in milliseconds.
    const WAIT_MS: i32 = 3000;

    /// The rest of mtserver: a ROUTER for clients (on a port of its own: the
    /// exercises run side by side), a DEALER bound to inproc://workers, a
    /// proxy between them, and worker threads running `worker`, all in one
    /// context.
    struct Server {
        context: zmq::Context,
        endpoint: String,
        /// Says "TERMINATE" to the proxy when the test ends.
        control: zmq::Socket,
        /// Each worker that stops, with what `worker` returned.
        stopped: mpsc::Receiver<(usize, zmq::Result<()>)>,
    }

    impl Server {
        fn start() -> Server {
            let context = zmq::Context::new();
            let mut clients = context.socket(zmq::ROUTER).unwrap();
            clients.set_linger(0).unwrap();
            clients.bind("tcp://127.0.0.1:*").unwrap();
            let endpoint = clients.get_last_endpoint().unwrap().expect("an endpoint");
            let mut workers = context.socket(zmq::DEALER).unwrap();
            workers.set_linger(0).unwrap();
            workers.bind(WORKERS).unwrap();

            let control = context.socket(zmq::PAIR).unwrap();
            control.set_linger(0).unwrap();
            control.set_sndtimeo(1000).unwrap();
            control.bind("inproc://control").unwrap();
            let mut steering = context.socket(zmq::PAIR).unwrap();
            steering.connect("inproc://control").unwrap();
            std::thread::spawn(move || {
                zmq::proxy_steerable(&mut clients, &mut workers, &mut steering)
            });

            let (done, stopped) = mpsc::channel();
            for id in 0..THREADS {
                let context = context.clone();
                let done = done.clone();
                std::thread::spawn(move || {
                    let _ = done.send((id, worker(&context, WORKERS, id)));
                });
            }
            Server {
                context,
                endpoint,
                control,
                stopped,
            }
        }

        /// Send "Hello" from `count` REQ clients at once, then collect their
        /// replies, each within WAIT_MS.
        fn ask_at_once(&self, count: usize) -> Vec<String> {
            let clients: Vec<zmq::Socket> = (0..count)
                .map(|_| {
                    let client = self.context.socket(zmq::REQ).unwrap();
                    client.set_linger(0).unwrap();
                    client.set_rcvtimeo(WAIT_MS).unwrap();
                    client.connect(&self.endpoint).unwrap();
                    client
                })
                .collect();
            for client in &clients {
                client.send("Hello", 0).unwrap();
            }
            let mut replies = Vec::new();
            for (number, client) in clients.iter().enumerate() {
                match client.recv_string(0) {
                    Ok(Ok(reply)) => replies.push(reply),
                    Ok(Err(bytes)) => panic!("client {number}: the reply is not text: {bytes:?}"),
                    Err(error) => panic!("{}", self.why_no_reply(number, error)),
                }
            }
            replies
        }

        /// What a client that got no reply should hear: what a stopped
        /// worker returned, or else where to look.
        fn why_no_reply(&self, client: usize, error: zmq::Error) -> String {
            let mut why = format!(
                "client {client}: no reply within {} s ({error}). ",
                WAIT_MS / 1000
            );
            match self.stopped.try_recv() {
                Ok((id, Err(zmq::Error::EADDRINUSE))) => why.push_str(&format!(
                    "Worker {id} stopped: {WORKERS} is in use already. The DEALER \
                     is bound there, and only one socket can bind an endpoint: \
                     the workers must reach it another way."
                )),
                Ok((id, result)) => {
                    why.push_str(&format!("Worker {id} stopped early, returning {result:?}."))
                }
                Err(_) => why.push_str(&format!(
                    "The requests reach the DEALER at {WORKERS}, but no worker \
                     answers them. inproc:// joins only the sockets of one \
                     context: is each worker's REP socket connected to the \
                     DEALER, through the context the worker was given?"
                )),
            }
            why
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            // Stop the proxy. The workers are left waiting: the tests' process
            // ends anyway.
            let _ = self.control.send("TERMINATE", 0);
        }
    }

    #[test]
    fn several_clients_at_once_each_get_a_reply() {
        let server = Server::start();
        let replies = server.ask_at_once(5);
        for (client, reply) in replies.iter().enumerate() {
            assert!(
                reply.starts_with("World from worker "),
                "client {client}: the reply is {reply:?}, not \"World from worker ID\""
            );
        }
    }

    #[test]
    fn the_requests_are_shared_among_the_workers() {
        let server = Server::start();
        let mut answered = BTreeSet::new();
        // The first requests may come before every worker is connected.
        for _ in 0..5 {
            for reply in server.ask_at_once(2 * THREADS) {
                answered.insert(reply);
            }
            if answered.len() > 1 {
                return;
            }
        }
        panic!(
            "every reply came from one thread ({answered:?}): the DEALER deals \
             requests out among all the workers connected to it, so {THREADS} \
             threads should share them"
        );
    }
}
