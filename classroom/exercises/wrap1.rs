// wrap1: the envelope a request needs to reach a REQ worker.
//
// The page: "A High-Level API for ZeroMQ" (chapter 3). The broker takes a
// client's request, [client id, "", "HELLO"], and sends it on its backend
// ROUTER to the worker that has waited longest. The ROUTER takes the first
// frame off as the address; the worker's REQ socket expects an empty
// delimiter next. Make `wrap` put the worker's envelope in front. The
// tests play a REQ worker behind a ROUTER.

/// The request addressed to `worker`: its envelope in front.
fn wrap(mut request: Vec<Vec<u8>>, worker: &[u8]) -> Vec<Vec<u8>> {
    // TODO: An envelope is a routing id AND an empty delimiter frame. A REQ
    // socket drops a message that does not start with the delimiter.
    request.insert(0, worker.to_vec());
    request
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_gets_the_request_with_its_clients_envelope() {
        let context = zmq::Context::new();
        let backend = context.socket(zmq::ROUTER).unwrap();
        backend.bind("tcp://127.0.0.1:*").unwrap();
        let at = backend.get_last_endpoint().unwrap().unwrap();
        let worker = context.socket(zmq::REQ).unwrap();
        worker.set_identity(b"W1").unwrap();
        worker.set_rcvtimeo(2000).unwrap();
        worker.connect(&at).unwrap();
        worker.send("READY", 0).unwrap();
        backend.set_rcvtimeo(2000).unwrap();
        assert_eq!(
            backend.recv_multipart(0).unwrap(),
            [&b"W1"[..], b"", b"READY"]
        );

        let request = vec![b"CLIENT".to_vec(), Vec::new(), b"HELLO".to_vec()];
        backend.send_multipart(wrap(request, b"W1"), 0).unwrap();
        let got = worker.recv_multipart(0);
        assert!(
            got.is_ok(),
            "the REQ worker got nothing in 2 s: its socket dropped a message that \
             did not start with an empty delimiter after the routing id"
        );
        assert_eq!(got.unwrap(), [&b"CLIENT"[..], b"", b"HELLO"]);
    }
}
