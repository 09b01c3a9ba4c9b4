//! The syncpub and nosync lessons: syncpub waits for ten syncsub subscribers,
//! each of which asks to synchronise only once it has heard the publisher's
//! "Hello", then broadcasts a million updates and "END"; every subscriber
//! must count every update. In nosync the same processes skip the handshake,
//! and every subscriber misses some. Bad input: malformed synchronisation
//! requests to syncpub, malformed updates to syncsub.

use std::time::{Duration, Instant};

use crate::harness::{self, Example, PortBlock, Run, socket};

/// The guide's broadcast: updates per run.
const UPDATES: u64 = 1_000_000;

/// The subscribers' ten outputs, as `shown` shows each: checked equal, and
/// shown once.
fn sections_with_subscribers_merged(run: &Run, shown: fn(&str) -> String) -> String {
    let subscribers: Vec<String> = run
        .stdout_of_copies("subscriber")
        .into_iter()
        .map(shown)
        .collect();
    assert_eq!(subscribers.len(), 10, "ten subscribers");
    for output in &subscribers {
        assert_eq!(*output, subscribers[0], "every subscriber printed the same");
    }
    let mut text = Run::section("publisher", "syncpub", run.stdout_of("publisher"));
    text.push_str(&Run::section(
        "subscriber 1..10, each of them",
        "syncsub",
        &subscribers[0],
    ));
    text
}

/// The count a subscriber printed.
fn received(output: &str) -> u64 {
    output
        .strip_prefix("Received ")
        .and_then(|rest| rest.strip_suffix(" updates\n"))
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("not a count: {output:?}"))
}

#[test]
fn every_synchronised_subscriber_counts_every_update() {
    let run = harness::run_lesson("syncpub");
    run.assert_clean();
    assert_eq!(
        run.stdout_of("publisher"),
        "Waiting for subscribers\nBroadcasting messages\n"
    );
    for output in run.stdout_of_copies("subscriber") {
        assert_eq!(received(output), UPDATES, "none lost");
    }
    harness::snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "syncpub",
            sections_with_subscribers_merged(&run, str::to_owned)
        )
    });
}

#[test]
fn unsynchronised_subscribers_miss_updates() {
    let run = harness::run_lesson("nosync");
    run.assert_clean();
    let counts: Vec<u64> = run
        .stdout_of_copies("subscriber")
        .into_iter()
        .map(received)
        .collect();
    // The publisher sends its first update the moment it has bound: no
    // subscriber can have connected and subscribed by then.
    for count in &counts {
        assert!(
            *count < UPDATES,
            "a subscriber got every update: {counts:?}"
        );
    }
    eprintln!("nosync: updates received per subscriber: {counts:?}");
    // Each count shown as what the test proved of it: a full count would
    // show as itself, and fail the snapshot.
    let shown = |output: &str| match received(output) {
        UPDATES => output.to_owned(),
        _ => "Received [FEWER THAN 1000000] updates\n".to_owned(),
    };
    harness::snapshot_settings()
        .bind(|| insta::assert_snapshot!("nosync", sections_with_subscribers_merged(&run, shown)));
}

#[test]
fn syncpub_answers_malformed_sync_requests_but_does_not_count_them() {
    let ports = PortBlock::new();
    let publisher = Example::start(
        "syncpub",
        &[
            "--bind",
            &ports.bind(0),
            "--sync",
            &ports.bind(1),
            "--subscribers",
            "1",
            "--updates",
            "3",
        ],
    );
    let context = zmq::Context::new();
    let subscriber = socket(&context, zmq::SUB);
    subscriber.set_subscribe(b"").expect("subscribe");
    subscriber.connect(&ports.connect(0)).expect("connect");
    assert_eq!(
        subscriber.recv_bytes(0).expect("a Hello within 10 s"),
        b"Hello"
    );
    let sync = socket(&context, zmq::REQ);
    sync.connect(&ports.connect(1)).expect("connect");
    let bad: [&[&[u8]]; 3] = [&[b"ready"], &[b"", b""], &[b"\xff"]];
    for request in bad {
        sync.send_multipart(request, 0).expect("send");
        assert_eq!(sync.recv_bytes(0).expect("a reply within 10 s"), b"");
    }
    // None of them counted: the publisher is still saying Hello.
    let mut hellos = 0;
    while subscriber.poll(zmq::POLLIN, 0).expect("poll") > 0 {
        assert_eq!(subscriber.recv_bytes(0).expect("recv"), b"Hello");
        hellos += 1;
    }
    assert_eq!(
        subscriber.recv_bytes(0).expect("another Hello within 10 s"),
        b"Hello",
        "after {hellos} queued Hellos"
    );
    sync.send("", 0).expect("send");
    assert_eq!(sync.recv_bytes(0).expect("a reply within 10 s"), b"");
    let mut updates = Vec::new();
    loop {
        let message = subscriber.recv_string(0).expect("recv").expect("text");
        match message.as_str() {
            "Hello" if updates.is_empty() => continue, // sent before our request
            "END" => break,
            _ => updates.push(message),
        }
    }
    assert_eq!(updates, ["Rhubarb"; 3]);
    let (status, stdout, stderr) = publisher.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Waiting for subscribers\nBroadcasting messages\n");
    assert_eq!(
        stderr,
        "syncpub: skipping malformed message: \"ready\", expected \"\"\n\
         syncpub: skipping malformed message: 2 frames, expected 1\n\
         syncpub: skipping malformed message: not UTF-8 text: b\"\\xff\"\n"
    );
}

#[test]
fn syncsub_waits_for_a_hello_then_skips_malformed_updates() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let publisher = socket(&context, zmq::PUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let sync = socket(&context, zmq::REP);
    sync.bind(&ports.bind(1)).expect("bind");
    let subscriber = Example::start(
        "syncsub",
        &["--connect", &ports.connect(0), "--sync", &ports.connect(1)],
    );
    // It asks only once it has heard something: nothing until the first Hello.
    assert_eq!(sync.poll(zmq::POLLIN, 500).expect("poll"), 0, "asked early");
    let started = Instant::now();
    while sync.poll(zmq::POLLIN, 10).expect("poll") == 0 {
        assert!(started.elapsed() < harness::DEADLINE, "it never asked");
        publisher.send("Hello", 0).expect("send");
    }
    assert_eq!(sync.recv_bytes(0).expect("recv"), b"");
    sync.send("", 0).expect("send");
    // Once it has its reply its subscription is live: nothing is lost. It
    // may still be reading Hellos, which are not updates.
    let messages: [&[&[u8]]; 7] = [
        &[b"Rhubarb"],
        &[b"Custard"],
        &[b"\xff"],
        &[b"Rhubarb", b"Rhubarb"],
        &[b"Hello"],
        &[b"Rhubarb"],
        &[b"END"],
    ];
    for message in messages {
        publisher.send_multipart(message, 0).expect("send");
    }
    let (status, stdout, stderr) = subscriber.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Received 2 updates\n");
    assert_eq!(
        stderr,
        "syncsub: skipping malformed message: \"Custard\", expected an update\n\
         syncsub: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         syncsub: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn unsynchronised_syncsub_gives_up_after_a_quiet_second() {
    let ports = PortBlock::new();
    let started = Instant::now();
    let subscriber = Example::start(
        "syncsub",
        &[
            "--connect",
            &ports.connect(0),
            "--sync",
            &ports.connect(1),
            "--no-sync",
        ],
    );
    let (status, stdout, stderr) = subscriber.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        (stdout.as_str(), stderr.as_str()),
        ("Received 0 updates\n", "")
    );
    assert!(started.elapsed() >= Duration::from_millis(1000));
}

#[test]
fn syncpub_with_a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "syncpub",
        &["--bind", &ports.bind(0), "--sync", &ports.bind(1)],
        &ports.bind(1),
    );
}
