// mtrelay1: the socket a thread waits on for its signal.
//
// The page: "Signaling Between Threads (PAIR Sockets)" (chapter 2). Three
// steps, each a thread of one process, hand a "READY" signal on in turn, as
// in mtrelay: step 3 starts step 2, which starts step 1. Before a step starts
// the next thread, it makes the socket it will wait on, with
// `signal_receiver`; the new thread connects its own socket to that endpoint
// and sends "READY". Make `signal_receiver` return the right socket, ready
// for the thread about to start. The relay below and the tests use it.

use std::sync::mpsc;

/// How long a step waits for its signal, in milliseconds.
const WAIT_MS: i32 = 2000;

/// The socket a thread waits on for one signal: made in `context`, and ready
/// at `endpoint` before the thread that will connect there and signal starts.
fn signal_receiver(context: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket> {
//>exercise
    // TODO: One thread signals this socket, and only that one must be heard.
    // A PULL socket takes messages from any number of peers: which socket
    // type has exactly one peer, and turns a second away?
    let receiver = context.socket(zmq::PULL)?;
    // TODO: The thread started next connects to `endpoint`. Something must be
    // there for it to connect to: this socket owns the endpoint.
    receiver.connect(endpoint)?;
//>solution
    let receiver = context.socket(zmq::PAIR)?;
    receiver.bind(endpoint)?;
//>end
    Ok(receiver)
}

/// Wait at most WAIT_MS for the signal; false if none came.
fn wait_for_signal(receiver: &zmq::Socket) -> zmq::Result<bool> {
    receiver.set_rcvtimeo(WAIT_MS)?;
    match receiver.recv_bytes(0) {
        Ok(_) => Ok(true),
        Err(zmq::Error::EAGAIN) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Connect a PAIR socket to `endpoint` and send "READY" there.
fn signal(context: &zmq::Context, endpoint: &str) -> zmq::Result<()> {
    let xmitter = context.socket(zmq::PAIR)?;
    xmitter.set_linger(0)?;
    xmitter.connect(endpoint)?;
    xmitter.send("READY", 0)
}

fn step1(context: &zmq::Context, log: &mpsc::Sender<String>) -> zmq::Result<()> {
    let _ = log.send("Step 1 ready, signaling step 2".to_string());
    signal(context, "inproc://step2")
}

fn step2(context: &zmq::Context, log: mpsc::Sender<String>) -> zmq::Result<bool> {
    let receiver = signal_receiver(context, "inproc://step2")?;
    let thread = {
        let (context, log) = (context.clone(), log.clone());
        std::thread::spawn(move || step1(&context, &log))
    };
    let signalled = wait_for_signal(&receiver)?;
    if signalled {
        let _ = log.send("Step 2 ready, signaling step 3".to_string());
        signal(context, "inproc://step3")?;
    }
    thread.join().expect("step 1 does not panic")?;
    Ok(signalled)
}

/// Step 3, in the calling thread: start the relay and wait for it to reach
/// this step. Every line the steps print goes to `log`.
fn relay(context: &zmq::Context, log: mpsc::Sender<String>) -> zmq::Result<bool> {
    let receiver = signal_receiver(context, "inproc://step3")?;
    let thread = {
        let (context, log) = (context.clone(), log.clone());
        std::thread::spawn(move || step2(&context, log))
    };
    let signalled = wait_for_signal(&receiver)?;
    if signalled {
        let _ = log.send("Test successful!".to_string());
    }
    thread.join().expect("step 2 does not panic")?;
    Ok(signalled)
}

fn main() {
    // The tests run the exercise; `main` has nothing to do.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receiver_has_one_peer_only() {
        let context = zmq::Context::new();
        let receiver = signal_receiver(&context, "inproc://one-peer").unwrap();
        let kind = receiver.get_socket_type().unwrap();
        assert!(
            kind == zmq::PAIR,
            "the receiver is a {kind:?} socket, expected PAIR: a signal between \
             two threads goes from one socket to one other, and a PAIR socket \
             refuses a second peer, so no stray thread can signal it too"
        );
    }

    #[test]
    fn the_receiver_owns_its_endpoint_before_the_thread_starts() {
        let context = zmq::Context::new();
        let endpoint = "inproc://owned";
        let _receiver = signal_receiver(&context, endpoint).unwrap();
        // Only one socket of a context can bind an endpoint: if this bind
        // succeeds, nothing was bound there.
        let probe = context.socket(zmq::PAIR).unwrap();
        match probe.bind(endpoint) {
            Err(zmq::Error::EADDRINUSE) => {}
            Ok(()) => panic!(
                "nothing is bound at {endpoint} when signal_receiver returns: the \
                 thread started next connects there, so the waiting socket binds \
                 the endpoint first (see the hand-over's steps on the page)"
            ),
            Err(error) => panic!("binding a probe at {endpoint} failed: {error}"),
        }
    }

    #[test]
    fn the_signal_goes_through_three_steps() {
        let context = zmq::Context::new();
        let (log, lines) = mpsc::channel();
        let signalled = relay(&context, log).unwrap();
        let lines: Vec<String> = lines.try_iter().collect();
        assert!(
            signalled,
            "step 3 had no signal within {} s; the steps printed {lines:?}. Each \
             waiting socket must be bound where the next thread connects, in the \
             context that thread is handed",
            WAIT_MS / 1000
        );
        assert_eq!(
            lines,
            [
                "Step 1 ready, signaling step 2",
                "Step 2 ready, signaling step 3",
                "Test successful!"
            ]
        );
    }
}
