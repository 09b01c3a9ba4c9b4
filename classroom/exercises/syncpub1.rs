// syncpub1: ready means subscribed.
//
// The page: "Node Coordination" (chapter 2). A subscriber tells its publisher
// it is ready over REQ-REP, and the publisher starts its broadcast once it has
// heard from every subscriber. Make `synchronise` tell the publisher only
// when the subscriber can be sure to get what comes next: the publisher says
// "Hello" on its PUB socket while it waits. The tests play the publisher.

/// Tell the publisher we are ready, and wait for its answer. `subscriber` is
/// connected and subscribed to everything; `syncclient` is a connected REQ
/// socket. Both were connected a moment ago: their connections may still be
/// on their way.
fn synchronise(subscriber: &zmq::Socket, syncclient: &zmq::Socket) -> zmq::Result<()> {
    // TODO: Nothing proves yet that our subscription has reached the
    // publisher: the REQ connection may well be made first, and the updates
    // published right after our request would pass us by. What, received on
    // `subscriber`, would prove that the publisher sends to us?
    syncclient.send("", 0)?;
    syncclient.recv_bytes(0)?;
    Ok(())
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::{Duration, Instant};

    /// Updates the publisher broadcasts once the subscriber is ready.
    const UPDATES: usize = 100;

    /// How long the publisher waits for a request before it binds its PUB
    /// socket and starts saying Hello, in milliseconds: longer than the
    /// guide's one-second sleep, which is a guess, not a proof.
    const BIND_AFTER_MS: u64 = 1500;

    /// A fresh ipc endpoint in the temporary folder, and the path to remove.
    fn ipc_endpoint(name: &str) -> (String, std::path::PathBuf) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "syncpub1-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        (format!("ipc://{}", path.display()), path)
    }

    /// The publisher, in a thread: a REP socket for requests at once; its PUB
    /// socket bound at `updates`, the way a publisher starting up late would
    /// be, after a first request or after BIND_AFTER_MS; then "Hello" every
    /// 10 ms until a request, and the broadcast (UPDATES x "Rhubarb", then
    /// "END") straight after the reply. Returns whether a request came before
    /// the PUB socket was even bound.
    fn publisher(context: zmq::Context, updates: String, sync: String) -> thread::JoinHandle<bool> {
        let syncservice = context.socket(zmq::REP).unwrap();
        syncservice.set_linger(0).unwrap();
        syncservice.bind(&sync).unwrap();
        thread::spawn(move || {
            let early = syncservice.poll(zmq::POLLIN, BIND_AFTER_MS as i64).unwrap() > 0;
            let publisher = context.socket(zmq::PUB).unwrap();
            publisher.set_linger(0).unwrap();
            publisher.bind(&updates).unwrap();
            let started = Instant::now();
            while syncservice.poll(zmq::POLLIN, 10).unwrap() == 0 {
                if started.elapsed() > Duration::from_secs(15) {
                    return early; // no request: the test reports it
                }
                publisher.send("Hello", 0).unwrap();
            }
            syncservice.recv_bytes(0).unwrap();
            syncservice.send("", 0).unwrap();
            for _ in 0..UPDATES {
                publisher.send("Rhubarb", 0).unwrap();
            }
            publisher.send("END", 0).unwrap();
            // Give the last messages time to leave before the socket closes.
            thread::sleep(Duration::from_millis(500));
            early
        })
    }

    #[test]
    fn the_subscriber_gets_every_update_published_after_it_is_ready() {
        let (updates, updates_path) = ipc_endpoint("updates");
        let (sync, sync_path) = ipc_endpoint("sync");
        let context = zmq::Context::new();
        let publisher = publisher(context.clone(), updates.clone(), sync.clone());

        let subscriber = context.socket(zmq::SUB).unwrap();
        subscriber.set_linger(0).unwrap();
        // Generous while synchronising, on a busy machine; short once
        // counting, where a wait that runs out means the updates are gone.
        subscriber.set_rcvtimeo(15_000).unwrap();
        subscriber.connect(&updates).unwrap();
        subscriber.set_subscribe(b"").unwrap();
        let syncclient = context.socket(zmq::REQ).unwrap();
        syncclient.set_linger(0).unwrap();
        syncclient.set_rcvtimeo(20_000).unwrap();
        syncclient.connect(&sync).unwrap();

        let synchronised = synchronise(&subscriber, &syncclient);
        let mut received = 0;
        subscriber.set_rcvtimeo(2000).unwrap();
        if synchronised.is_ok() {
            while let Ok(update) = subscriber.recv_bytes(0) {
                match &update[..] {
                    b"END" => break,
                    b"Rhubarb" => received += 1,
                    _ => {} // a Hello
                }
            }
        }
        let early = publisher.join().unwrap();
        let _ = std::fs::remove_file(updates_path);
        let _ = std::fs::remove_file(sync_path);

        assert!(
            synchronised.is_ok(),
            "synchronise failed: {synchronised:?}. The publisher says Hello every \
             10 ms once its PUB socket is bound, and answers the first request"
        );
        assert!(
            !early,
            "the subscriber said it was ready before the publisher had even \
             bound its PUB socket: nothing it publishes can reach us yet. \
             However long a sleep, the publisher may start later still"
        );
        assert_eq!(
            received, UPDATES,
            "the subscriber got {received} of the {UPDATES} updates published \
             right after its request. A message published before the \
             subscription reaches the publisher is not sent to this subscriber: \
             wait until something has arrived from the publisher"
        );
    }
}
