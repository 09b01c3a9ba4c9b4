// several_ports1: one REQ socket, several servers.
//
// The page: "Request-reply over several ports" (case studies). `ask_all`
// connects one REQ socket to every endpoint it is given, then sends requests
// and collects the replies. The tests run two servers, each naming itself in
// its replies.

/// Send `requests` "Hello" requests over one REQ socket connected to every
/// endpoint in `endpoints`; the replies, in order.
fn ask_all(context: &zmq::Context, endpoints: &[String], requests: usize) -> zmq::Result<Vec<String>> {
    let requester = context.socket(zmq::REQ)?;
    requester.set_linger(0)?;
    requester.set_rcvtimeo(3000)?;
//>exercise
    // TODO: This connects to the first server only, so it answers every
    // request. One socket can connect to many endpoints: connect it to each.
    requester.connect(&endpoints[0])?;
//>solution
    for endpoint in endpoints {
        requester.connect(endpoint)?;
    }
//>end
    let mut replies = Vec::new();
    for _ in 0..requests {
        requester.send("Hello", 0)?;
        replies.push(requester.recv_string(0)?.unwrap_or_default());
    }
    Ok(replies)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    /// A REP server in a thread that answers "World from NAME" `count`
    /// times (or until 3 s pass without a request); its endpoint.
    fn server(context: &zmq::Context, name: &'static str, count: usize) -> (String, thread::JoinHandle<usize>) {
        let server = context.socket(zmq::REP).unwrap();
        server.set_linger(0).unwrap();
        server.set_rcvtimeo(3000).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.get_last_endpoint().unwrap().expect("an endpoint");
        let thread = thread::spawn(move || {
            let mut answered = 0;
            while answered < count && server.recv_bytes(0).is_ok() {
                server.send(format!("World from {name}").as_str(), 0).unwrap();
                answered += 1;
            }
            answered
        });
        (endpoint, thread)
    }

    #[test]
    fn the_requests_take_turns_between_the_servers() {
        let context = zmq::Context::new();
        let (first, a) = server(&context, "A", 4);
        let (second, b) = server(&context, "B", 4);
        let replies = ask_all(&context, &[first, second], 8);
        let (a, b) = (a.join().unwrap(), b.join().unwrap());
        let replies = match replies {
            Ok(replies) => replies,
            Err(error) => panic!(
                "ask_all failed with {error:?}: server A answered {a} requests, server B \
                 {b}. Each answers four, so eight requests need both: is the socket \
                 connected to every endpoint?"
            ),
        };
        let expected: Vec<String> = ["A", "B"]
            .iter()
            .cycle()
            .take(8)
            .map(|name| format!("World from {name}"))
            .collect();
        assert_eq!(
            replies, expected,
            "a REQ socket connected to both servers deals its requests out in \
             turn, starting with the first endpoint it connected to: A, B, A, B …"
        );
    }
}
