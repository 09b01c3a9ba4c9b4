//! The psenv lesson: psenvpub sends "A" and "B" envelopes once a second;
//! psenvsub, subscribed to "B", prints three and exits. psenvpub's messages
//! are two frames, key then contents. Bad input to psenvsub: messages that are
//! not two frames of text are reported and skipped.

use std::time::{Duration, Instant};

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn subscriber_gets_only_the_b_envelopes() {
    let run = harness::run_lesson("psenv");
    run.assert_clean();
    assert_eq!(
        run.stdout_of("subscriber"),
        "[B] We would like to see this\n".repeat(3),
        "three B messages, and no A"
    );
    assert_eq!(
        run.stdout_of("publisher"),
        "",
        "the publisher prints nothing"
    );
    // A round a second: three of them cannot arrive in less than two seconds.
    assert!(
        run.elapsed >= Duration::from_millis(1900),
        "three envelopes a second apart: {:?}",
        run.elapsed
    );
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("psenv", run.sections()));
}

#[test]
fn psenvpub_sends_the_key_and_the_contents_as_two_frames() {
    let ports = PortBlock::new();
    let mut publisher = Example::start("psenvpub", &["--bind", &ports.bind(0)]);
    let context = zmq::Context::new();
    let subscriber = socket(&context, zmq::SUB);
    subscriber
        .set_subscribe(b"")
        .expect("subscribe to everything");
    subscriber.connect(&ports.connect(0)).expect("connect");
    // The first round may go before the subscription arrives: take a second
    // round whole, A then B (10 s receive timeout).
    let mut messages = Vec::new();
    while messages.len() < 3 {
        let message = subscriber.recv_multipart(0).expect("a message within 10 s");
        if messages.is_empty() && message[0] == b"B" {
            continue; // the B half of a round whose A we missed
        }
        messages.push(message);
    }
    let expected: [Vec<Vec<u8>>; 3] = [
        vec![b"A".to_vec(), b"We don't want to see this".to_vec()],
        vec![b"B".to_vec(), b"We would like to see this".to_vec()],
        vec![b"A".to_vec(), b"We don't want to see this".to_vec()],
    ];
    assert_eq!(messages, expected);
    publisher.interrupt();
    let (status, stdout, stderr) = publisher.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
}

#[test]
fn psenvsub_skips_malformed_envelopes() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let publisher = socket(&context, zmq::PUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let subscriber = Example::start(
        "psenvsub",
        &["--connect", &ports.connect(0), "--count", "3"],
    );
    let bad: [&[&[u8]]; 4] = [
        &[b"B"],
        &[b"B", b"one", b"too many"],
        &[b"B", b"\xff"],
        &[b"B\xfe", b"contents"],
    ];
    // Rounds of bad messages, one for key A and a good one, until the
    // subscriber has its three good ones and exits (bounded).
    let mut subscriber = subscriber;
    let started = Instant::now();
    while !subscriber.has_exited() {
        for message in bad {
            publisher.send_multipart(message, 0).expect("send");
        }
        publisher
            .send_multipart(["A", "not for B"], 0)
            .expect("send");
        publisher.send_multipart(["B", "fine"], 0).expect("send");
        std::thread::sleep(Duration::from_millis(2));
        assert!(
            started.elapsed() < harness::DEADLINE,
            "psenvsub did not finish"
        );
    }
    let (status, stdout, stderr) = subscriber.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "[B] fine\n".repeat(3));
    // Three rounds reached it, the last two whole: each bad message was
    // reported at least once, and nothing else.
    let reports = [
        "psenvsub: skipping malformed message: 1 frames, expected 2 (key, contents)",
        "psenvsub: skipping malformed message: 3 frames, expected 2 (key, contents)",
        "psenvsub: skipping malformed message: not UTF-8 text: b\"\\xff\"",
        "psenvsub: skipping malformed message: not UTF-8 text: b\"B\\xfe\"",
    ];
    for line in stderr.lines() {
        assert!(reports.contains(&line), "unexpected: {line}");
    }
    for report in reports {
        assert!(stderr.contains(report), "no {report:?} in:\n{stderr}");
    }
}
