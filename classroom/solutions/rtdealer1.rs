// rtdealer1: the delimiter a DEALER must add.
//
// The page: "The Load Balancing Pattern" (chapter 3), "ROUTER broker and
// DEALER workers". The broker expects what a REQ worker sends: after the
// routing id ROUTER adds, an empty delimiter frame, then the request. A REQ
// socket adds that delimiter by itself, and takes it off the reply; a DEALER
// socket does neither. Make `ask_for_work` look like a REQ worker to the
// broker. The tests play the broker.

/// Tell the broker we are ready for work, then return the workload it sends.
fn ask_for_work(worker: &zmq::Socket) -> zmq::Result<Vec<u8>> {
    worker.send_multipart(["", "Hi Boss"], 0)?;
    // The envelope delimiter, then the workload.
    let mut reply = worker.recv_multipart(0)?;
    Ok(reply.pop().unwrap_or_default())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A broker that answers one request the way rtreq's does, if it has
    /// the envelope a REQ worker sends: the frames it received, or why not.
    fn broker_thread(
        context: &zmq::Context,
        endpoint: &str,
    ) -> std::thread::JoinHandle<Vec<Vec<u8>>> {
        let broker = context.socket(zmq::ROUTER).unwrap();
        broker.set_rcvtimeo(3000).unwrap();
        broker.bind(endpoint).unwrap();
        std::thread::spawn(move || {
            let request = broker.recv_multipart(0).expect("a request within 3 s");
            if request.len() == 3 && request[1].is_empty() {
                broker
                    .send_multipart([request[0].as_slice(), &b""[..], &b"Work harder"[..]], 0)
                    .unwrap();
            }
            request
        })
    }

    fn worker(context: &zmq::Context) -> (zmq::Socket, std::thread::JoinHandle<Vec<Vec<u8>>>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://rtdealer1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let broker = broker_thread(context, &endpoint);
        let worker = context.socket(zmq::DEALER).unwrap();
        worker.set_identity(b"W1").unwrap();
        worker.set_rcvtimeo(1000).unwrap();
        worker.connect(&endpoint).unwrap();
        (worker, broker)
    }

    #[test]
    fn the_broker_sees_a_req_style_envelope() {
        let context = zmq::Context::new();
        let (worker, broker) = worker(&context);
        let _ = ask_for_work(&worker);
        let request = broker.join().unwrap();
        let shown: Vec<String> = request
            .iter()
            .map(|f| String::from_utf8_lossy(f).into())
            .collect();
        assert_eq!(
            shown,
            ["W1", "", "Hi Boss"],
            "the broker received {shown:?}: after the routing id ROUTER adds, it \
             needs an empty delimiter frame, then the request. A DEALER sends only \
             the frames you give it"
        );
    }

    #[test]
    fn the_workload_comes_without_the_delimiter() {
        let context = zmq::Context::new();
        let (worker, broker) = worker(&context);
        let workload = ask_for_work(&worker);
        broker.join().unwrap();
        assert_eq!(
            workload.as_deref(),
            Ok(&b"Work harder"[..]),
            "the reply is an empty delimiter, then the workload: return the \
             workload, not the delimiter (an error EAGAIN means no reply came, \
             because the broker dropped a request without its delimiter)"
        );
    }
}
