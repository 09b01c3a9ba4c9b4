// psenv1: a pub-sub envelope, the key in a frame of its own.
//
// The page: "Pub-Sub Message Envelopes" (chapter 2). A publisher sends each
// piece of news under a key, and subscribers subscribe to the keys they want,
// as psenvpub and psenvsub do. Make `publish` send the key and the contents as
// one message of two frames, the key first, so that a subscription is matched
// against the key alone. The tests play a subscriber to "B".

/// Send `contents` under `key`: one message, the key in its first frame.
fn publish(publisher: &zmq::Socket, key: &str, contents: &str) -> zmq::Result<()> {
//>exercise
    // TODO: These are two messages, each of one frame. A subscriber to "B"
    // gets the key "B" alone, and never its contents, which do not start with
    // "B"; and contents that happen to start with "B" reach it, whatever
    // their key. Which flag says that another frame of the same message
    // follows?
    publisher.send(key, 0)?;
    publisher.send(contents, 0)
//>solution
    publisher.send(key, zmq::SNDMORE)?;
    publisher.send(contents, 0)
//>end
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// How long the tests publish before they give up, in milliseconds.
    const WAIT_MS: u64 = 3000;

    /// A PUB socket and a SUB socket subscribed to `key`, joined over TCP on
    /// a port of their own (the exercises run side by side).
    fn pair(key: &str) -> (zmq::Context, zmq::Socket, zmq::Socket) {
        let context = zmq::Context::new();
        let publisher = context.socket(zmq::PUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = publisher.get_last_endpoint().unwrap().expect("an endpoint");
        let subscriber = context.socket(zmq::SUB).unwrap();
        subscriber.set_linger(0).unwrap();
        subscriber.set_subscribe(key.as_bytes()).unwrap();
        subscriber.connect(&endpoint).unwrap();
        (context, publisher, subscriber)
    }

    /// Publish `news` with `publish` every 10 ms until the subscriber gets
    /// something (a subscription takes a moment to reach the publisher), then
    /// one more round; every message the subscriber got, frame by frame.
    fn publish_until_heard(
        publisher: &zmq::Socket,
        subscriber: &zmq::Socket,
        news: &[(&str, &str)],
    ) -> Vec<Vec<String>> {
        let started = Instant::now();
        let mut heard = Vec::new();
        let mut rounds_after = 0;
        while rounds_after < 2 && started.elapsed() < Duration::from_millis(WAIT_MS) {
            for (key, contents) in news {
                publish(publisher, key, contents).unwrap();
            }
            if subscriber.poll(zmq::POLLIN, 10).unwrap() > 0 {
                rounds_after += 1;
            }
            while let Ok(frames) = subscriber.recv_multipart(zmq::DONTWAIT) {
                heard.push(
                    frames
                        .iter()
                        .map(|frame| String::from_utf8_lossy(frame).into_owned())
                        .collect(),
                );
            }
        }
        heard
    }

    #[test]
    fn a_subscriber_gets_the_key_and_its_contents_together() {
        let (_context, publisher, subscriber) = pair("B");
        let news = [
            ("A", "We don't want to see this"),
            ("B", "We would like to see this"),
        ];
        let heard = publish_until_heard(&publisher, &subscriber, &news);
        assert!(
            !heard.is_empty(),
            "the subscriber to \"B\" heard nothing in {} s",
            WAIT_MS / 1000
        );
        for message in &heard {
            assert!(
                message[..] == ["B", "We would like to see this"],
                "the subscriber to \"B\" got {message:?}, expected [\"B\", \"We would \
                 like to see this\"]: one message of two frames, the key first. A \
                 frame sent without SNDMORE ends its message, and the subscription \
                 takes or drops each message whole"
            );
        }
    }

    #[test]
    fn contents_are_never_matched_against_the_subscription() {
        let (_context, publisher, subscriber) = pair("B");
        let news = [
            ("A", "Bad weather, for A only"),
            ("B", "Fine weather, for B"),
        ];
        let heard = publish_until_heard(&publisher, &subscriber, &news);
        let stray: Vec<_> = heard
            .iter()
            .filter(|message| message.iter().any(|frame| frame.contains("for A")))
            .collect();
        assert!(
            stray.is_empty(),
            "the subscriber to \"B\" got A's news: {stray:?}. Its subscription is \
             matched against the first frame of each message: sent as a message \
             of its own, contents that start with \"B\" pass for a key"
        );
        assert!(
            heard.iter().any(|message| message[..] == ["B", "Fine weather, for B"]),
            "the subscriber to \"B\" never got [\"B\", \"Fine weather, for B\"], \
             only {heard:?}"
        );
    }
}
