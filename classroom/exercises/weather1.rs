// weather1: one zipcode's weather.
//
// The page: "Getting the Message Out" (chapter 1). The weather server
// publishes every zipcode's updates, "zipcode temperature relhumidity", the
// zipcode always five digits: "10001 72 45", "01000 -3 30". Make
// `weather_client` subscribe so that its SUB socket receives the updates for
// `zipcode` and no others. The tests play the server, as wuserver does.

/// A SUB socket connected to the weather server at `endpoint`, that receives
/// only the updates for `zipcode`.
fn weather_client(
    context: &zmq::Context,
    endpoint: &str,
    zipcode: u32,
) -> zmq::Result<zmq::Socket> {
    println!("Collecting updates for zipcode {zipcode} from the weather server…");
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(endpoint)?;
    // TODO: An empty subscription is a prefix of every message, so this client
    // gets every zipcode's weather. A subscription is compared byte by byte
    // with the start of each update: which bytes start the updates for
    // `zipcode`, and only those? Think of zipcode 1000, and of 10001.
    subscriber.set_subscribe(b"")?;
    Ok(subscriber)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Publish `updates` to a client for `zipcode`, as wuserver would, and
    /// check that it receives exactly the ones for its zipcode.
    fn publish_to_client(name: &str, zipcode: u32, updates: &[&str]) {
        let expected: Vec<&str> = updates
            .iter()
            .copied()
            .filter(|update| update.split(' ').next() == Some(&format!("{zipcode:05}")[..]))
            .collect();
        let last = *expected.last().expect("an update for the zipcode");

        let context = zmq::Context::new();
        // An XPUB socket is a PUB socket that also hands over the subscriptions
        // it receives, so the test can wait until the client's has arrived.
        let publisher = context.socket(zmq::XPUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.set_rcvtimeo(3000).unwrap();
        let endpoint = format!("inproc://weather1-{name}");
        publisher.bind(&endpoint).unwrap();

        let subscriber = weather_client(&context, &endpoint, zipcode)
            .expect("weather_client should create, connect and subscribe a SUB socket");
        subscriber.set_linger(0).unwrap();
        subscriber.set_rcvtimeo(2000).unwrap();

        // A subscription arrives as one message: 1, then the prefix.
        let subscription = match publisher.recv_bytes(0) {
            Ok(message) if message.first() == Some(&1) => {
                String::from_utf8_lossy(&message[1..]).into_owned()
            }
            Ok(message) => panic!("an unexpected message reached the publisher: {message:?}"),
            Err(error) => panic!(
                "no subscription reached the publisher within 3 s ({error}): a SUB \
                 socket receives nothing until it subscribes"
            ),
        };

        for update in updates {
            publisher.send(*update, 0).unwrap();
        }
        let mut received = Vec::new();
        loop {
            match subscriber.recv_string(0) {
                Ok(Ok(update)) => {
                    if !expected.contains(&update.as_str()) {
                        panic!(
                            "the client for zipcode {zipcode} received {update:?}, another \
                             zipcode's update. Its subscription, {subscription:?}, is a \
                             prefix of that update; expected only {expected:?}"
                        );
                    }
                    let done = update == last;
                    received.push(update);
                    if done {
                        break;
                    }
                }
                Ok(Err(bytes)) => panic!("an update that is not text: {bytes:?}"),
                Err(_) => break,
            }
        }
        assert!(
            received == expected,
            "the client for zipcode {zipcode}, subscribed to {subscription:?}, received \
             {received:?} within 2 s; expected {expected:?}. A subscription lets \
             through the updates it is the start of, byte by byte"
        );
    }

    #[test]
    fn receives_only_its_zipcode() {
        publish_to_client(
            "10001",
            10001,
            &[
                "10001 72 45",
                "10002 68 30",
                "01000 -3 30",
                "10001 71 44",
                "10000 80 12",
                "99999 20 59",
                "10001 70 46",
            ],
        );
    }

    #[test]
    fn a_zipcode_below_10000_has_five_digits_too() {
        publish_to_client(
            "01000",
            1000,
            &[
                "10001 72 45",
                "01000 -3 30",
                "10000 80 12",
                "00100 55 20",
                "10009 61 33",
                "01000 -5 31",
            ],
        );
    }
}
