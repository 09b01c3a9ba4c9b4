// first_steps1: a subscriber that hears every number.
//
// The page: "First steps: four patterns in one sitting" (case studies).
// randpub publishes a random number from 0 to 99 as text, and randsub prints
// every one. Make `subscriber` return a SUB socket, connected to `endpoint`,
// that receives every message the publisher sends, whatever it starts with.
// The tests play the publisher.

/// A SUB socket connected to the publisher at `endpoint`, that gets every
/// number it publishes.
fn subscriber(context: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket> {
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(endpoint)?;
    // Every message starts with the empty prefix.
    subscriber.set_subscribe(b"")?;
    Ok(subscriber)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant};

    /// How long the tests publish before they give up, in milliseconds.
    const WAIT_MS: u64 = 3000;

    /// Publish `numbers` over and over, every 10 ms, to the subscriber that
    /// `subscriber` makes, until it has heard each of them or `WAIT_MS` is up
    /// (a subscription takes a moment to reach the publisher); what it heard.
    fn heard(numbers: &[u32]) -> BTreeSet<String> {
        let context = zmq::Context::new();
        let publisher = context.socket(zmq::PUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = publisher.get_last_endpoint().unwrap().expect("an endpoint");
        let subscriber = subscriber(&context, &endpoint).expect("a SUB socket");
        subscriber.set_linger(0).unwrap();
        let mut heard = BTreeSet::new();
        let started = Instant::now();
        while heard.len() < numbers.len() && started.elapsed() < Duration::from_millis(WAIT_MS) {
            for number in numbers {
                publisher.send(number.to_string().as_str(), 0).unwrap();
            }
            if subscriber.poll(zmq::POLLIN, 10).unwrap() > 0 {
                while let Ok(message) = subscriber.recv_bytes(zmq::DONTWAIT) {
                    heard.insert(String::from_utf8_lossy(&message).into_owned());
                }
            }
        }
        heard
    }

    #[test]
    fn the_subscriber_hears_the_publisher() {
        let heard = heard(&[42]);
        assert!(
            heard.contains("42"),
            "the publisher sent \"42\" every 10 ms for {} s, and the subscriber heard \
             nothing: a SUB socket lets through only the messages that start with one \
             of its subscriptions, and a new one has none",
            WAIT_MS / 1000
        );
    }

    #[test]
    fn the_subscriber_hears_every_number_whatever_its_digits() {
        let numbers = [0, 7, 42, 99];
        let heard = heard(&numbers);
        let expected: BTreeSet<String> = numbers.iter().map(u32::to_string).collect();
        assert_eq!(
            heard, expected,
            "the subscriber heard only some of the numbers: a subscription is a prefix, \
             and only the messages that start with it get through. Which prefix does \
             every message start with?"
        );
    }
}
