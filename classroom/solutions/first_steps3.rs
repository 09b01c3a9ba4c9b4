// first_steps3: a REQ socket takes turns.
//
// The page: "First steps: four patterns in one sitting" (case studies).
// timeclient asks timeserver the time, again and again. Make `ask_times` ask
// `n` times over one REQ socket and return the answers in order. The tests
// play the time server.

/// Ask the server behind `requester` the time ("time"), `n` times; its
/// answers, in order.
fn ask_times(requester: &zmq::Socket, n: usize) -> zmq::Result<Vec<String>> {
    let mut answers = Vec::new();
    for _ in 0..n {
        requester.send("time", 0)?;
        answers.push(requester.recv_string(0)?.unwrap_or_default());
    }
    Ok(answers)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    /// A time server on a port of its own (the exercises run side by side)
    /// that answers "time" with a made-up time, a millisecond later each
    /// time, until nothing comes for a second; and a REQ socket connected to
    /// it that waits at most 3 s.
    fn server_and_client() -> (zmq::Context, zmq::Socket, thread::JoinHandle<()>) {
        let context = zmq::Context::new();
        let server = context.socket(zmq::REP).unwrap();
        server.set_linger(0).unwrap();
        server.set_rcvtimeo(1000).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.get_last_endpoint().unwrap().expect("an endpoint");
        let serving = thread::spawn(move || {
            let mut millis = 0;
            while let Ok(request) = server.recv_bytes(0) {
                let reply = if request == b"time" {
                    millis += 1;
                    format!("1760000000.{millis:03}")
                } else {
                    String::new()
                };
                server.send(reply.as_str(), 0).unwrap();
            }
        });
        let requester = context.socket(zmq::REQ).unwrap();
        requester.set_linger(0).unwrap();
        requester.set_rcvtimeo(3000).unwrap();
        requester.connect(&endpoint).unwrap();
        (context, requester, serving)
    }

    /// `ask_times`, with a failure that teaches.
    fn asked(requester: &zmq::Socket, n: usize) -> Vec<String> {
        match ask_times(requester, n) {
            Ok(answers) => answers,
            Err(zmq::Error::EFSM) => panic!(
                "asking {n} times failed with EFSM: a REQ socket refused a send. After \
                 each request it must receive the reply before it may send the next"
            ),
            Err(error) => panic!("asking {n} times failed: {error}"),
        }
    }

    #[test]
    fn one_question_one_answer() {
        let (_context, requester, serving) = server_and_client();
        assert_eq!(asked(&requester, 1), ["1760000000.001"]);
        serving.join().unwrap();
    }

    #[test]
    fn three_questions_three_answers_in_turn() {
        let (_context, requester, serving) = server_and_client();
        assert_eq!(
            asked(&requester, 3),
            ["1760000000.001", "1760000000.002", "1760000000.003"],
            "three requests, each answered before the next"
        );
        serving.join().unwrap();
    }
}
