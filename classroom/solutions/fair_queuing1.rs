// fair_queuing1: one socket, several services.
//
// The page: "Fair Queuing and Load Balancing" (chapter 2). rrspread's one REQ
// socket reaches three services at once and deals its requests to them in
// turn, round robin. Make `spread_client` return a REQ socket that reaches
// every service in `services`, so that the first request goes to the first
// service, the second to the second, and so on. The tests run three services
// that answer each request with their name.

/// A REQ socket that deals its requests to every service in `services`, in
/// that order.
fn spread_client(context: &zmq::Context, services: &[String]) -> zmq::Result<zmq::Socket> {
    let requester = context.socket(zmq::REQ)?;
    for service in services {
        requester.connect(service)?;
    }
    Ok(requester)
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

    /// How long the client waits for each reply, in milliseconds.
    const WAIT_MS: i32 = 3000;

    /// REP services that answer every request with their name, each on a
    /// port of its own (the exercises run side by side). Stopped when the
    /// test ends.
    struct Services {
        endpoints: Vec<String>,
        stop: Arc<AtomicBool>,
    }

    impl Services {
        fn start(context: &zmq::Context, names: &[&'static str]) -> Services {
            let stop = Arc::new(AtomicBool::new(false));
            let mut endpoints = Vec::new();
            for &name in names {
                let service = context.socket(zmq::REP).unwrap();
                service.set_linger(0).unwrap();
                service.set_rcvtimeo(100).unwrap();
                service.bind("tcp://127.0.0.1:*").unwrap();
                endpoints.push(service.get_last_endpoint().unwrap().expect("bound"));
                let stop = stop.clone();
                thread::spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        if service.recv_bytes(0).is_ok() {
                            let _ = service.send(name, 0);
                        }
                    }
                });
            }
            Services { endpoints, stop }
        }
    }

    impl Drop for Services {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
        }
    }

    /// Send `count` requests through `spread_client`; who answered each.
    fn answers(names: &[&'static str], count: usize) -> Vec<String> {
        let context = zmq::Context::new();
        let services = Services::start(&context, names);
        let client = spread_client(&context, &services.endpoints).expect("spread_client");
        client.set_linger(0).unwrap();
        client.set_rcvtimeo(WAIT_MS).unwrap();
        let mut answered = Vec::new();
        for request in 1..=count {
            client.send("request", 0).unwrap();
            match client.recv_string(0) {
                Ok(Ok(name)) => answered.push(name),
                Ok(Err(bytes)) => panic!("request {request}: the reply is not text: {bytes:?}"),
                Err(error) => panic!(
                    "request {request}: no reply within {} s ({error}), after answers from \
                     {answered:?}. The request went to a service that never got it",
                    WAIT_MS / 1000
                ),
            }
        }
        answered
    }

    #[test]
    fn every_service_takes_its_turn() {
        let answered = answers(&["A", "B", "C"], 6);
        assert_eq!(
            answered,
            ["A", "B", "C", "A", "B", "C"],
            "the requests should go to A, B, C, A, B, C: one REQ socket connected \
             to every service deals its requests out in turn"
        );
    }

    #[test]
    fn the_first_service_connected_to_is_the_first_served() {
        let answered = answers(&["C", "B", "A"], 3);
        assert_eq!(
            answered,
            ["C", "B", "A"],
            "the services were given in the order C, B, A: a socket's queues \
             come in the order of its connect calls, and the first request \
             goes to the first"
        );
    }
}
