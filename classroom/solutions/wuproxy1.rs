// wuproxy1: the proxy's sockets.
//
// The page: "Transport Bridging" (chapter 2). A weather proxy stands between
// the weather server and subscribers on another network: one socket takes
// the server's updates, the other passes them on, and zmq::proxy joins them.
// Make `proxy_sockets` return the two sockets (frontend, backend) so that a
// subscriber of the proxy gets the updates it subscribed to. The tests play
// the weather server and a subscriber, and run the proxy.

/// The proxy's two sockets: the frontend, to the weather server at
/// `weather_server`, and the backend, where subscribers find the proxy at
/// `subscribers`.
fn proxy_sockets(
    context: &zmq::Context,
    weather_server: &str,
    subscribers: &str,
) -> zmq::Result<(zmq::Socket, zmq::Socket)> {
    let frontend = context.socket(zmq::XSUB)?;
    frontend.connect(weather_server)?;
    let backend = context.socket(zmq::XPUB)?;
    backend.bind(subscribers)?;
    Ok((frontend, backend))
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    fn test_socket(context: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
        let socket = context.socket(kind).unwrap();
        socket.set_linger(0).unwrap();
        socket.set_rcvtimeo(3000).unwrap();
        socket.set_sndtimeo(3000).unwrap();
        socket
    }

    /// The weather server (an XPUB socket: a PUB that also shows the test
    /// the subscriptions reaching it), the proxy running `proxy_sockets`'
    /// sockets in a thread of its own, and the endpoint subscribers use.
    struct Bridge {
        server: zmq::Socket,
        subscribers: String,
        stop: zmq::Socket,
        stopped: mpsc::Receiver<()>,
    }

    fn start_proxy(context: &zmq::Context) -> Bridge {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let weather = format!("inproc://wuproxy1-weather-{n}");
        let server = test_socket(context, zmq::XPUB);
        server.bind(&weather).unwrap();

        // The backend gets a port of its own: the exercises run side by side.
        let (mut frontend, mut backend) = proxy_sockets(context, &weather, "tcp://127.0.0.1:*")
            .unwrap_or_else(|error| {
                panic!(
                    "proxy_sockets failed: {error}. The weather server is bound at \
                     {weather:?}; subscribers look for the proxy at \
                     \"tcp://127.0.0.1:*\", the free port that the socket bound \
                     there picks (a connect to it is an invalid argument)"
                )
            });
        let subscribers = backend
            .get_last_endpoint()
            .unwrap()
            .unwrap_or_default()
            .replace("127.0.0.1", "localhost");
        assert!(
            subscribers.starts_with("tcp://localhost:"),
            "the backend has no address of its own that subscribers can connect \
             to (its last endpoint is {subscribers:?}): a subscriber connects to \
             the proxy, so the proxy must bind"
        );

        let control = format!("inproc://wuproxy1-control-{n}");
        let stop = test_socket(context, zmq::PAIR);
        stop.bind(&control).unwrap();
        let mut steer = context.socket(zmq::PAIR).unwrap();
        steer.connect(&control).unwrap();
        let (done, stopped) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = zmq::proxy_steerable(&mut frontend, &mut backend, &mut steer);
            let _ = done.send(());
        });
        Bridge {
            server,
            subscribers,
            stop,
            stopped,
        }
    }

    fn stop_proxy(bridge: Bridge) {
        bridge.stop.send("TERMINATE", 0).unwrap();
        bridge
            .stopped
            .recv_timeout(Duration::from_secs(3))
            .expect("the proxy stops within 3 s of TERMINATE");
    }

    #[test]
    fn a_subscription_goes_up_and_updates_come_down() {
        let context = zmq::Context::new();
        let bridge = start_proxy(&context);
        let subscriber = test_socket(&context, zmq::SUB);
        subscriber.set_subscribe(b"10001 ").unwrap();
        subscriber.connect(&bridge.subscribers).unwrap();

        // The subscription must reach the server, through the proxy.
        match bridge.server.recv_bytes(0) {
            Ok(message) => assert_eq!(
                message, b"\x0110001 ",
                "the server expected the subscriber's subscription to \"10001 \" \
                 (the message \"\\x0110001 \"), and got another"
            ),
            Err(_) => panic!(
                "a subscriber of the proxy subscribed to \"10001 \", and after 3 s \
                 no subscription had reached the weather server: the proxy did not \
                 pass it upstream, so the server would send it nothing"
            ),
        }

        // Now updates come down, the ones the subscriber asked for.
        for update in ["10002 50 20", "10001 70 30", "10003 60 40", "10001 80 50"] {
            bridge.server.send(update, 0).unwrap();
        }
        for expected in ["10001 70 30", "10001 80 50"] {
            let update = subscriber.recv_string(0);
            assert!(
                matches!(&update, Ok(Ok(text)) if text == expected),
                "the subscriber expected the update {expected:?} through the proxy, \
                 and got {update:?} (Err(EAGAIN): nothing within 3 s)"
            );
        }
        stop_proxy(bridge);
    }

    #[test]
    fn two_subscribers_share_the_proxy() {
        let context = zmq::Context::new();
        let bridge = start_proxy(&context);
        let first = test_socket(&context, zmq::SUB);
        first.set_subscribe(b"10001 ").unwrap();
        first.connect(&bridge.subscribers).unwrap();
        let second = test_socket(&context, zmq::SUB);
        second.set_subscribe(b"10002 ").unwrap();
        second.connect(&bridge.subscribers).unwrap();

        let mut subscriptions = Vec::new();
        for _ in 0..2 {
            match bridge.server.recv_bytes(0) {
                Ok(message) => subscriptions.push(message),
                Err(_) => panic!(
                    "two subscribers of the proxy subscribed, to \"10001 \" and \
                     \"10002 \", and after 3 s the weather server had {} of the two \
                     subscriptions: the proxy must pass each one upstream",
                    subscriptions.len()
                ),
            }
        }
        subscriptions.sort();
        assert_eq!(
            subscriptions,
            [b"\x0110001 ".to_vec(), b"\x0110002 ".to_vec()]
        );

        for update in ["10001 70 30", "10002 80 50"] {
            bridge.server.send(update, 0).unwrap();
        }
        for (subscriber, expected) in [(&first, "10001 70 30"), (&second, "10002 80 50")] {
            let update = subscriber.recv_string(0);
            assert!(
                matches!(&update, Ok(Ok(text)) if text == expected),
                "a subscriber expected {expected:?} through the proxy, and got \
                 {update:?} (Err(EAGAIN): nothing within 3 s)"
            );
        }
        stop_proxy(bridge);
    }
}
