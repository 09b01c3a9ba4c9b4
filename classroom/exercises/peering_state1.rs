// peering_state1: a broker's state, as its peers read it.
//
// The page: "Inter-Broker Routing: the State Flow" (chapter 3). Each broker
// publishes, on its PUB state backend, how many workers it has free. Its
// peers' SUB sockets read two frames: the broker's name, then the figure as
// text. Make `publish_state` send exactly that. The tests play the peers.

/// Publish `me`'s state: `available` workers free.
fn publish_state(statebe: &zmq::Socket, me: &str, available: u32) -> zmq::Result<()> {
    // TODO: A SUB socket does not say which publisher a message came from,
    // so the name must travel in the message, as its own frame in front of
    // the figure. This sends one frame: the peers cannot tell who it is.
    let _ = me;
    statebe.send(available.to_string().as_bytes(), 0)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A PUB socket and a SUB socket subscribed to it, over inproc.
    fn pub_and_sub(context: &zmq::Context) -> (zmq::Socket, zmq::Socket) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let endpoint = format!(
            "inproc://peering_state1-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let statebe = context.socket(zmq::PUB).unwrap();
        statebe.bind(&endpoint).unwrap();
        let statefe = context.socket(zmq::SUB).unwrap();
        statefe.set_subscribe(b"").unwrap();
        statefe.set_rcvtimeo(3000).unwrap();
        // inproc: the subscription is there once connect returns.
        statefe.connect(&endpoint).unwrap();
        (statebe, statefe)
    }

    #[test]
    fn a_peer_reads_the_name_then_the_figure() {
        let context = zmq::Context::new();
        let (statebe, statefe) = pub_and_sub(&context);
        publish_state(&statebe, "DC2", 7).unwrap();
        let frames = statefe.recv_multipart(0).expect("a state within 3 s");
        let shown: Vec<String> = frames
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        assert_eq!(
            shown,
            ["DC2", "7"],
            "a state is two frames, the broker's name then its free workers"
        );
    }

    #[test]
    fn each_broker_is_told_apart_by_its_name() {
        let context = zmq::Context::new();
        let (statebe, statefe) = pub_and_sub(&context);
        publish_state(&statebe, "DC1", 0).unwrap();
        publish_state(&statebe, "DC3", 9).unwrap();
        for (name, figure) in [("DC1", "0"), ("DC3", "9")] {
            let frames = statefe.recv_multipart(0).expect("a state within 3 s");
            assert!(
                frames.len() == 2 && frames[0] == name.as_bytes() && frames[1] == figure.as_bytes(),
                "expected [{name:?}, {figure:?}], got {:?}",
                frames
                    .iter()
                    .map(|f| String::from_utf8_lossy(f))
                    .collect::<Vec<_>>()
            );
        }
    }
}
