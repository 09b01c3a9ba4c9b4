// lbbroker1: poll the frontend only when a worker is ready.
//
// The page: "A Load Balancing Message Broker" (chapter 3). The broker polls
// its backend always, and its frontend only while its queue of ready
// workers has one: until then, requests wait in ZeroMQ's queues. Make
// `poll_set` return the poll items for one round. The tests play a client
// and a worker.

use std::collections::VecDeque;

/// The sockets to poll this round: the backend first, then the frontend,
/// but only while `ready` holds a worker.
fn poll_set<'a>(
    backend: &'a zmq::Socket,
    frontend: &'a zmq::Socket,
    ready: &VecDeque<Vec<u8>>,
) -> Vec<zmq::PollItem<'a>> {
    // TODO: This polls the frontend even when no worker is ready, so a
    // request is read with nowhere to go. Poll the frontend only while
    // `ready` is not empty.
    let _ = ready;
    vec![
        backend.as_poll_item(zmq::POLLIN),
        frontend.as_poll_item(zmq::POLLIN),
    ]
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn bound(context: &zmq::Context, kind: zmq::SocketType) -> (zmq::Socket, String) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://lbbroker1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let socket = context.socket(kind).unwrap();
        socket.bind(&endpoint).unwrap();
        (socket, endpoint)
    }

    #[test]
    fn with_no_worker_ready_a_waiting_request_is_left_alone() {
        let context = zmq::Context::new();
        let (frontend, at) = bound(&context, zmq::ROUTER);
        let (backend, _) = bound(&context, zmq::ROUTER);
        let client = context.socket(zmq::REQ).unwrap();
        client.connect(&at).unwrap();
        client.send("HELLO", 0).unwrap();
        let mut items = poll_set(&backend, &frontend, &VecDeque::new());
        let readable = zmq::poll(&mut items, 500).unwrap();
        assert_eq!(
            readable, 0,
            "with no worker ready, the poll woke for the client's request: the \
             broker would read it and have no worker to give it to. Leave the \
             frontend out of the poll until a worker is ready"
        );
    }

    #[test]
    fn with_a_worker_ready_the_request_is_seen() {
        let context = zmq::Context::new();
        let (frontend, at) = bound(&context, zmq::ROUTER);
        let (backend, _) = bound(&context, zmq::ROUTER);
        let client = context.socket(zmq::REQ).unwrap();
        client.connect(&at).unwrap();
        client.send("HELLO", 0).unwrap();
        let ready = VecDeque::from([b"worker".to_vec()]);
        let mut items = poll_set(&backend, &frontend, &ready);
        assert_eq!(items.len(), 2, "backend and frontend, with a worker ready");
        assert_eq!(zmq::poll(&mut items, 2000).unwrap(), 1);
        assert!(items[1].is_readable(), "the request, on the frontend");
    }
}
