// hello1: the Hello World server's socket.
//
// The page: "Ask and Ye Shall Receive" (chapter 1). The client sends "Hello"
// from a REQ socket and waits for "World". Make `server_socket` return the
// socket the server needs, bound where it is told. The test below plays the
// client, as hwclient does.

/// The server's socket, bound to `endpoint`, ready for requests.
fn server_socket(context: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket> {
//>exercise
    // TODO: A PAIR socket talks only to another PAIR, so the client's request
    // never arrives. Which socket type takes turns with a REQ client?
    let responder = context.socket(zmq::PAIR)?;
    // TODO: A server waits where clients can find it: bind, don't connect.
    responder.connect(endpoint)?;
//>solution
    let responder = context.socket(zmq::REP)?;
    responder.bind(endpoint)?;
//>end
    Ok(responder)
}

/// Answer one request with "World", as hwserver does.
fn answer(responder: &zmq::Socket) -> zmq::Result<()> {
    let request = responder.recv_string(0)?;
    println!("Received {request:?}");
    responder.send("World", 0)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_a_req_client_with_world() {
        let context = zmq::Context::new();
        // An address of this test's own: exercises run side by side.
        let responder = server_socket(&context, "tcp://127.0.0.1:*").unwrap_or_else(|error| {
            panic!(
                "server_socket(context, \"tcp://127.0.0.1:*\") failed: {error}. The * asks \
                 for any free port, which only a socket that listens there can take"
            )
        });
        let endpoint = responder
            .get_last_endpoint()
            .unwrap()
            .expect("an endpoint");
        let server = std::thread::spawn(move || {
            responder.set_rcvtimeo(3000).unwrap();
            answer(&responder)
        });

        let client = context.socket(zmq::REQ).unwrap();
        client.set_rcvtimeo(3000).unwrap();
        client.set_linger(0).unwrap();
        client.connect(&endpoint).unwrap();
        client.send("Hello", 0).unwrap();
        match client.recv_string(0) {
            Ok(Ok(reply)) => assert_eq!(reply, "World", "the reply to \"Hello\""),
            Ok(Err(bytes)) => panic!("the reply is not text: {bytes:?}"),
            Err(error) => panic!(
                "no reply within 3 s ({error}): did the client's \"Hello\" reach \
                 a socket that answers requests, at the address the client dialled?"
            ),
        }
        server
            .join()
            .unwrap()
            .expect("the server received the request and answered it");
    }
}
