// reactor1: readers that come and go.
//
// The page: "A High-Level API for ZeroMQ" (chapter 3), lbbroker3. In
// reactor style the broker's frontend has a reader only while a worker is
// ready: registered when the first worker arrives, ended when a request
// takes the last one. Here a reader is a flag, `reading_frontend`, and
// `run_once` is one round of a small reactor. Make the two handlers keep
// the flag right. The tests play a client and a worker.

use std::collections::VecDeque;

struct Broker {
    frontend: zmq::Socket,
    backend: zmq::Socket,
    workers: VecDeque<Vec<u8>>,
    /// Whether the frontend has a reader.
    reading_frontend: bool,
}

/// A worker's READY or reply: the worker is ready again, and a reply goes
/// on to its client.
fn handle_backend(broker: &mut Broker) -> zmq::Result<()> {
    let mut frames = broker.backend.recv_multipart(0)?;
    let worker = frames.remove(0);
    frames.remove(0); // The delimiter.
    broker.workers.push_back(worker);
    // TODO: a worker is ready: if it is the only one, the frontend has no
    // reader. Register it (set the flag).
    if frames != [b"READY"] {
        broker.frontend.send_multipart(frames, 0)?;
    }
    Ok(())
}

/// A client's request, to the worker that has waited longest.
fn handle_frontend(broker: &mut Broker) -> zmq::Result<()> {
    let request = broker.frontend.recv_multipart(0)?;
    let worker = broker
        .workers
        .pop_front()
        .expect("the frontend was read with no worker ready: its reader must end when the last worker is taken");
    let mut message = vec![worker, Vec::new()];
    message.extend(request);
    broker.backend.send_multipart(message, 0)?;
    // TODO: if that took the last ready worker, end the frontend's reader.
    Ok(())
}

/// One round of the reactor: poll the sockets that have readers, call the
/// handler of each readable one.
fn run_once(broker: &mut Broker, timeout_ms: i64) -> zmq::Result<()> {
    let reading_frontend = broker.reading_frontend;
    let (backend_ready, frontend_ready) = {
        let mut items = vec![broker.backend.as_poll_item(zmq::POLLIN)];
        if reading_frontend {
            items.push(broker.frontend.as_poll_item(zmq::POLLIN));
        }
        zmq::poll(&mut items, timeout_ms)?;
        (
            items[0].is_readable(),
            reading_frontend && items[1].is_readable(),
        )
    };
    if backend_ready {
        handle_backend(broker)?;
    }
    if frontend_ready && broker.reading_frontend {
        handle_frontend(broker)?;
    }
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn broker(context: &zmq::Context) -> (Broker, String, String) {
        let frontend = context.socket(zmq::ROUTER).unwrap();
        frontend.bind("tcp://127.0.0.1:*").unwrap();
        let backend = context.socket(zmq::ROUTER).unwrap();
        backend.bind("tcp://127.0.0.1:*").unwrap();
        let (f, b) = (
            frontend.get_last_endpoint().unwrap().unwrap(),
            backend.get_last_endpoint().unwrap().unwrap(),
        );
        let broker = Broker {
            frontend,
            backend,
            workers: VecDeque::new(),
            reading_frontend: false,
        };
        (broker, f, b)
    }

    fn peer(context: &zmq::Context, endpoint: &str) -> zmq::Socket {
        let socket = context.socket(zmq::REQ).unwrap();
        socket.set_linger(0).unwrap();
        socket.connect(endpoint).unwrap();
        socket
    }

    /// Run rounds until `done`, at most 3 s.
    fn until(broker: &mut Broker, done: impl Fn(&Broker) -> bool) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            if done(broker) {
                return true;
            }
            run_once(broker, 50).unwrap();
        }
        done(broker)
    }

    #[test]
    fn a_request_waits_for_a_worker_then_is_served() {
        let context = zmq::Context::new();
        let (mut broker, front, back) = broker(&context);
        let client = peer(&context, &front);
        client.send("HELLO", 0).unwrap();
        // No worker yet: the request must wait in ZeroMQ's queue.
        until(&mut broker, |_| false);
        assert!(
            !broker.reading_frontend,
            "no worker is ready, yet the frontend has a reader"
        );

        let worker = peer(&context, &back);
        worker.send("READY", 0).unwrap();
        assert!(
            until(&mut broker, |b| b.reading_frontend),
            "a worker said READY, but the frontend got no reader: register it when \
             the first worker becomes ready"
        );
        worker.set_rcvtimeo(3000).unwrap();
        assert!(
            until(&mut broker, |b| b.workers.is_empty()),
            "the request went to the worker"
        );
        assert!(
            !broker.reading_frontend,
            "the request took the last ready worker, but the frontend still has a reader"
        );
        let mut request = worker.recv_multipart(0).expect("the request");
        assert_eq!(request.pop().unwrap(), b"HELLO");
        request.push(b"OK".to_vec());
        worker.send_multipart(request, 0).unwrap();
        client.set_rcvtimeo(100).unwrap();
        assert!(until(&mut broker, |_| client
            .get_events()
            .unwrap()
            .contains(zmq::POLLIN)));
        assert_eq!(client.recv_string(0).unwrap().unwrap(), "OK");
    }
}
