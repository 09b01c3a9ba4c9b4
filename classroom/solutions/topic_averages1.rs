// topic_averages1: subscribe to one topic.
//
// The page: "Topic filtering with averages" (case studies). A publisher sends
// "zipcode temperature" for three zipcodes; `average_for` must average the
// next `count` temperatures of one zipcode only. The tests play the
// publisher.

/// The average of the next `count` temperatures for `zipcode`, received on
/// `subscriber`, a SUB socket connected to the publisher; and the updates it
/// used.
fn average_for(
    subscriber: &zmq::Socket,
    zipcode: u32,
    count: usize,
) -> zmq::Result<(f64, Vec<String>)> {
    // The zipcode and the space after it: the topic of "10001 57", and not
    // the start of any other zipcode's updates.
    subscriber.set_subscribe(format!("{zipcode} ").as_bytes())?;
    let mut updates = Vec::new();
    let mut total = 0.0;
    while updates.len() < count {
        let update = subscriber.recv_string(0)?.unwrap_or_default();
        let temperature: f64 = update
            .split(' ')
            .nth(1)
            .and_then(|t| t.parse().ok())
            .unwrap_or_default();
        total += temperature;
        updates.push(update);
    }
    Ok((total / count as f64, updates))
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
    use std::time::Duration;

    /// A publisher in a thread until `stop`: updates for 10000, 10001,
    /// 10002 and 100010, each zipcode with a temperature of its own, every
    /// millisecond. Returns its endpoint.
    fn publisher(
        context: &zmq::Context,
        stop: Arc<AtomicBool>,
    ) -> (String, thread::JoinHandle<()>) {
        let publisher = context.socket(zmq::PUB).unwrap();
        publisher.set_linger(0).unwrap();
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = publisher.get_last_endpoint().unwrap().expect("an endpoint");
        let thread = thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for update in ["10000 80", "10001 50", "10002 -20", "100010 99"] {
                    publisher.send(update, 0).unwrap();
                }
                thread::sleep(Duration::from_millis(1));
            }
        });
        (endpoint, thread)
    }

    #[test]
    fn averages_only_its_zipcode() {
        let context = zmq::Context::new();
        let stop = Arc::new(AtomicBool::new(false));
        let (endpoint, thread) = publisher(&context, stop.clone());
        let subscriber = context.socket(zmq::SUB).unwrap();
        subscriber.set_linger(0).unwrap();
        subscriber.set_rcvtimeo(3000).unwrap();
        subscriber.connect(&endpoint).unwrap();
        let outcome = average_for(&subscriber, 10001, 5);
        stop.store(true, Ordering::Relaxed);
        thread.join().unwrap();
        let (average, updates) = match outcome {
            Ok(outcome) => outcome,
            Err(error) => panic!(
                "average_for failed with {error:?}: no update for 10001 came in 3 s. \
                 Is the subscription exactly what an update for 10001 starts with?"
            ),
        };
        for update in &updates {
            assert!(
                update.starts_with("10001 "),
                "average_for used {update:?}, an update for another zipcode: \
                 subscribe to 10001's updates only ({updates:?})"
            );
        }
        assert_eq!(average, 50.0, "the average of five updates \"10001 50\"");
    }
}
