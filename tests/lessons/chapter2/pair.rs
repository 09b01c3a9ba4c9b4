//! The pair lesson: two pairpeer processes, one binding and one connecting,
//! trade numbered messages over TCP; pairthreads plays ping-pong between two
//! threads over inproc://; pairlimits shows what a second peer and a restart
//! do. By hand: the same restarts with real processes, malformed messages,
//! a port in use, bad arguments.

use crate::harness::{self, Example, PortBlock, socket};

const THREADS: &str = "parent: ping 1\n\
                       child:  got \"ping 1\", pong 1\n\
                       parent: got \"pong 1\"\n\
                       parent: ping 2\n\
                       child:  got \"ping 2\", pong 2\n\
                       parent: got \"pong 2\"\n\
                       parent: ping 3\n\
                       child:  got \"ping 3\", pong 3\n\
                       parent: got \"pong 3\"\n";

const LIMITS: &str = "One peer at a time:
  B connects: A received \"hello from B\"
  C connects too: A accepts it, and the handshake succeeds
  C sends 3 messages, then B one: in 500 ms A received \"B again\"
  B leaves: in 500 ms A received nothing
  A has no peer to send to; C, still connected, is never heard
  D connects: A received \"hello from D\"
B restarts while A waits on its socket:
  B leaves: in 500 ms A received nothing
  the new B connects: A received \"hello from the new B\"
B restarts while A is busy elsewhere:
  the new B connects: in 500 ms A received nothing; turned away, as C was
A restarts:
  B reconnects by itself: the new A received \"sent while A was away\"
";

/// What a pairpeer prints after its first line, for a side and its peer's.
fn exchange(side: &str, peer: &str) -> String {
    let sent: String = (1..=3)
        .map(|n| format!("Sent \"{n} from the {side}\"\n"))
        .collect();
    let received: String = (1..=3)
        .map(|n| format!("Received \"{n} from the {peer}\"\n"))
        .collect();
    sent + &received
}

#[test]
fn two_processes_two_threads_and_the_limits() {
    let run = harness::run_lesson("pair");
    run.assert_clean();
    let bind_side = run.stdout_of("bind side");
    let connect_side = run.stdout_of("connect side");
    assert!(
        bind_side.starts_with("Bound to tcp://127.0.0.1:"),
        "{bind_side}"
    );
    assert!(bind_side.ends_with(&exchange("bind side", "connect side")));
    assert!(connect_side.starts_with("Connected to tcp://localhost:"));
    assert!(connect_side.ends_with(&exchange("connect side", "bind side")));
    // Each thread prints before the message that lets the other go on.
    assert_eq!(run.stdout_of("threads"), THREADS);
    // Every step of the show waits for an event, or listens for a bounded
    // time: the same lines every time.
    assert_eq!(run.stdout_of("limits"), LIMITS);
    let mut settings = harness::snapshot_settings();
    // The tests run the lesson on ports of their own.
    settings.add_filter(r"(tcp://(?:127\.0\.0\.1|localhost)):\d+", "$1:[PORT]");
    settings.bind(|| insta::assert_snapshot!("pair", run.sections()));
}

#[test]
fn the_connecting_side_reconnects_to_a_restarted_binding_process() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let pair = socket(&context, zmq::PAIR);
    pair.connect(&ports.connect(0)).expect("connect");
    for round in 1..=2 {
        // The same socket, never reconnected by hand, talks to two processes
        // in turn: what it sends while neither is there waits for the next.
        pair.send(format!("{round} from the test").as_str(), 0)
            .expect("send");
        let binder = Example::start("pairpeer", &["--bind", &ports.bind(0), "--count", "1"]);
        let message = pair.recv_string(0).expect("a message within 10 s");
        assert_eq!(
            message.as_deref(),
            Ok("1 from the bind side"),
            "round {round}"
        );
        let (status, stdout, stderr) = binder.finish();
        assert!(status.success(), "{status}: {stderr}");
        assert!(
            stdout.ends_with(&format!("Received \"{round} from the test\"\n")),
            "round {round}: {stdout}"
        );
    }
}

/// A bound PAIR socket of the test's own, and a monitor of its connections.
fn bound_pair(context: &zmq::Context, endpoint: &str) -> (zmq::Socket, zmq::Socket) {
    let pair = socket(context, zmq::PAIR);
    let events =
        zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32 | zmq::SocketEvent::DISCONNECTED as i32;
    pair.monitor("inproc://test-monitor", events)
        .expect("monitor");
    let monitor = socket(context, zmq::PAIR);
    monitor.connect("inproc://test-monitor").expect("monitor");
    pair.bind(endpoint).expect("bind");
    (pair, monitor)
}

/// Wait (10 s at most) for the next event of this kind.
fn wait_for(monitor: &zmq::Socket, event: zmq::SocketEvent) {
    loop {
        let frames = monitor.recv_multipart(0).expect("an event within 10 s");
        if zmq::SocketEvent::from_raw(u16::from_ne_bytes([frames[0][0], frames[0][1]])) == event {
            return;
        }
    }
}

/// One pairpeer that connects, trades one message with the test, and exits.
fn one_exchange(pair: &zmq::Socket, endpoint: &str) {
    let peer = Example::start("pairpeer", &["--connect", endpoint, "--count", "1"]);
    let message = pair.recv_string(0).expect("a message within 10 s");
    assert_eq!(message.as_deref(), Ok("1 from the connect side"));
    pair.send("1 from the test", 0).expect("send");
    let (status, _, stderr) = peer.finish();
    assert!(status.success(), "{status}: {stderr}");
}

#[test]
fn a_binder_waiting_on_its_socket_takes_a_restarted_peer() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let (pair, monitor) = bound_pair(&context, &ports.bind(0));
    let endpoint = ports.connect(0);
    one_exchange(&pair, &endpoint);
    wait_for(&monitor, zmq::SocketEvent::HANDSHAKE_SUCCEEDED);
    wait_for(&monitor, zmq::SocketEvent::DISCONNECTED);
    // The first peer has exited. The test waits on its socket a while, as a
    // server blocked in a receive would, before the second peer starts.
    pair.set_rcvtimeo(500).expect("rcvtimeo");
    assert_eq!(pair.recv_string(0).err(), Some(zmq::Error::EAGAIN));
    pair.set_rcvtimeo(10_000).expect("rcvtimeo");
    let second = Example::start("pairpeer", &["--connect", &endpoint, "--count", "1"]);
    let message = pair.recv_string(0).expect("the new peer is heard");
    assert_eq!(message.as_deref(), Ok("1 from the connect side"));
    pair.send("1 from the test", 0).expect("send");
    let (status, stdout, stderr) = second.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stdout.ends_with("Received \"1 from the test\"\n"),
        "{stdout}"
    );
}

#[test]
fn a_binder_busy_while_its_peer_restarts_never_hears_the_new_one() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let (pair, monitor) = bound_pair(&context, &ports.bind(0));
    let endpoint = ports.connect(0);
    one_exchange(&pair, &endpoint);
    wait_for(&monitor, zmq::SocketEvent::HANDSHAKE_SUCCEEDED);
    // The first peer has exited; the test does not touch its socket until
    // the second has connected and shaken hands.
    wait_for(&monitor, zmq::SocketEvent::DISCONNECTED);
    let mut second = Example::start("pairpeer", &["--connect", &endpoint, "--count", "1"]);
    wait_for(&monitor, zmq::SocketEvent::HANDSHAKE_SUCCEEDED);
    pair.set_rcvtimeo(1000).expect("rcvtimeo");
    assert_eq!(
        pair.recv_string(0).err(),
        Some(zmq::Error::EAGAIN),
        "the restarted peer was heard"
    );
    // It is connected, has sent, and waits for ever: Ctrl-C.
    second.interrupt();
    let (status, stdout, stderr) = second.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!("Connected to {endpoint}\nSent \"1 from the connect side\"\n")
    );
}

#[test]
fn pairpeer_skips_malformed_messages() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let pair = socket(&context, zmq::PAIR);
    pair.connect(&ports.connect(0)).expect("connect");
    let peer = Example::start("pairpeer", &["--bind", &ports.bind(0), "--count", "2"]);
    let bad: [&[&[u8]]; 2] = [&[b"\xff"], &[b"one", b"two"]];
    for message in bad {
        pair.send_multipart(message, 0).expect("send");
    }
    pair.send("fine", 0).expect("send");
    pair.send("fine again", 0).expect("send");
    for number in 1..=2 {
        let message = pair.recv_string(0).expect("a message within 10 s");
        assert_eq!(message, Ok(format!("{number} from the bind side")));
    }
    let (status, stdout, stderr) = peer.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stdout.ends_with("Received \"fine\"\nReceived \"fine again\"\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "pairpeer: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         pairpeer: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let endpoint = ports.bind(0);
    harness::assert_port_in_use_is_one_line_error("pairpeer", &["--bind", &endpoint], &endpoint);
    let endpoint = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error("pairlimits", &["--bind", &endpoint], &endpoint);
}

#[test]
fn one_side_and_only_one_is_a_usage_error() {
    for args in [
        &[][..],
        &[
            "--bind",
            "tcp://127.0.0.1:5580",
            "--connect",
            "tcp://localhost:5580",
        ][..],
    ] {
        let (status, stdout, stderr) = Example::start("pairpeer", args).finish();
        assert_eq!(status.code(), Some(2), "clap's status for a usage error");
        assert_eq!(stdout, "");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}
