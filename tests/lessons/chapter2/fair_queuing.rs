//! The page "Fair Queuing and Load Balancing", three lessons:
//!
//! - round-robin: rrspread's one REQ socket, connected to three rrservice
//!   services, deals its nine requests out A, B, C, A, …: three each.
//! - fair-queuing: three fqsender PUSH senders queue four messages each and
//!   leave; fqreader's one PULL socket, connected to all three, then reads
//!   one from each in turn.
//! - sub-fair-queuing: the same with publishers and a SUB socket, one of
//!   them busier than the others (six, four, two): it cannot crowd them out.
//!
//! Every order is fixed: a socket connected to several peers has a queue per
//! connection, in the order of its `connect` calls. Bad input: rrservice
//! answers a malformed request and reports it; rrspread and fqreader report
//! and skip malformed messages; bad endpoints and ports in use are one-line
//! errors.

use crate::harness::{self, Example, PortBlock, socket};

const SERVICES: [&str; 3] = ["A", "B", "C"];

#[test]
fn req_deals_requests_to_the_services_in_turn() {
    let run = harness::run_lesson("round-robin");
    run.assert_clean();
    // Request n goes to the ((n - 1) mod 3)th connection: A, B, C, A, …
    let mut expected = String::new();
    for request in 1..=9 {
        let service = SERVICES[(request - 1) % 3];
        expected.push_str(&format!("Request {request} answered by {service}\n"));
    }
    expected.push_str("A answered 3\nB answered 3\nC answered 3\n");
    assert_eq!(run.stdout_of("client"), expected);
    for (place, service) in SERVICES.iter().enumerate() {
        let got: String = (1..=9)
            .filter(|request| (request - 1) % 3 == place)
            .map(|request| format!("Received request {request}\n"))
            .collect();
        assert_eq!(
            run.stdout_of(&format!("service {service}")),
            got,
            "service {service} gets every third request"
        );
    }
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("round-robin", run.sections()));
}

/// What a reader connected to senders A, B and C (in that order) prints when
/// they sent `counts` messages: round after round, one from each sender that
/// has any left. (With counts that never grow from A to C, as here, a sender
/// that runs out is always the last of the round, and the others keep their
/// order.)
fn fair_queue(counts: [usize; 3]) -> String {
    let mut lines = String::new();
    for message in 1..=counts[0].max(counts[1]).max(counts[2]) {
        for (sender, &count) in SERVICES.iter().zip(&counts) {
            if message <= count {
                lines.push_str(&format!("{sender}: message {message}\n"));
            }
        }
    }
    for (sender, count) in SERVICES.iter().zip(counts) {
        lines.push_str(&format!("{count} from {sender}\n"));
    }
    lines
}

/// Run a fair-queuing lesson: every sender sent its messages, and the reader
/// took one from each in turn, in the order it connected to them.
fn fair_queuing_lesson(lesson: &str, sender: &str, reader: &str, counts: [usize; 3]) {
    let run = harness::run_lesson(lesson);
    run.assert_clean();
    for (name, count) in SERVICES.iter().zip(counts) {
        assert_eq!(
            run.stdout_of(&format!("{sender} {name}")),
            format!("{name} sent {count} messages\n")
        );
    }
    assert_eq!(
        run.stdout_of(reader),
        format!(
            "Waiting for 3 senders to send their messages and leave…\n{}",
            fair_queue(counts)
        ),
        "one message from each sender in turn"
    );
    harness::snapshot_settings().bind(|| insta::assert_snapshot!(lesson, run.sections()));
}

#[test]
fn pull_takes_one_message_from_each_sender_in_turn() {
    fair_queuing_lesson("fair-queuing", "sender", "reader", [4, 4, 4]);
}

#[test]
fn sub_takes_one_update_from_each_publisher_in_turn() {
    // The busy publisher's extra updates come once the others have none left.
    fair_queuing_lesson("sub-fair-queuing", "publisher", "subscriber", [6, 4, 2]);
}

#[test]
fn rrservice_answers_malformed_requests_with_its_name() {
    let ports = PortBlock::new();
    let mut service = Example::start("rrservice", &["--bind", &ports.bind(0), "--name", "Q"]);
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    let requests: [&[&[u8]]; 3] = [&[b"\xff\xfe"], &[b"two", b"frames"], &[b"request 1"]];
    for request in requests {
        client.send_multipart(request, 0).expect("send");
        let reply = client.recv_multipart(0).expect("a reply within 10 s");
        assert_eq!(reply, [b"Q"], "every request is answered with the name");
    }
    service.interrupt();
    let (status, stdout, stderr) = service.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Received request 1\n");
    assert_eq!(
        stderr,
        concat!(
            "rrservice: skipping malformed message: not UTF-8 text: b\"\\xff\\xfe\"\n",
            "rrservice: skipping malformed message: 2 frames, expected 1\n",
        )
    );
}

#[test]
fn rrspread_skips_a_malformed_reply() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let service = socket(&context, zmq::REP);
    service.bind(&ports.bind(0)).expect("bind");
    let client = Example::start(
        "rrspread",
        &["--connect", &ports.connect(0), "--requests", "3"],
    );
    let replies: [&[&[u8]]; 3] = [&[b"\xff"], &[b"X", b"Y"], &[b"X"]];
    for (request, reply) in replies.into_iter().enumerate() {
        let got = service.recv_string(0).expect("a request within 10 s");
        assert_eq!(got, Ok(format!("request {}", request + 1)));
        service.send_multipart(reply, 0).expect("reply");
    }
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Request 3 answered by X\nX answered 1\n");
    assert_eq!(
        stderr,
        concat!(
            "rrspread: skipping malformed message: not UTF-8 text: b\"\\xff\"\n",
            "rrspread: skipping malformed message: 2 frames, expected 1\n",
        )
    );
}

#[test]
fn fqreader_skips_malformed_messages() {
    let ports = PortBlock::new();
    let reader = Example::start("fqreader", &["--connect", &ports.connect(0)]);
    {
        let context = zmq::Context::new();
        let sender = socket(&context, zmq::PUSH);
        // Every message must reach the reader before the sender leaves.
        sender.set_linger(10_000).expect("linger");
        sender.bind(&ports.bind(0)).expect("bind");
        let messages: [&[&[u8]]; 5] = [
            &[b"A"],
            &[b"A", b"message 1", b"extra"],
            &[b"\xffA", b"message 2"],
            &[b"A", b"\xfe"],
            &[b"A", b"message 3"],
        ];
        for message in messages {
            // With no reader connected yet, the send waits for it (10 s).
            sender.send_multipart(message, 0).expect("send");
        }
    } // The sender leaves: the reader can read.
    let (status, stdout, stderr) = reader.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        concat!(
            "Waiting for 1 sender to send their messages and leave…\n",
            "A: message 3\n",
            "1 from A\n",
        )
    );
    assert_eq!(
        stderr,
        concat!(
            "fqreader: skipping malformed message: 1 frames, expected 2 (sender, text)\n",
            "fqreader: skipping malformed message: 3 frames, expected 2 (sender, text)\n",
            "fqreader: skipping malformed message: not UTF-8 text: b\"\\xffA\"\n",
            "fqreader: skipping malformed message: not UTF-8 text: b\"\\xfe\"\n",
        )
    );
}

#[test]
fn fqsender_publishes_once_subscribed_then_leaves() {
    let ports = PortBlock::new();
    let sender = Example::start(
        "fqsender",
        &[
            "--bind",
            &ports.bind(0),
            "--name",
            "P",
            "--count",
            "2",
            "--publish",
        ],
    );
    let context = zmq::Context::new();
    let subscriber = socket(&context, zmq::SUB);
    subscriber.set_subscribe(b"").expect("subscribe");
    subscriber.connect(&ports.connect(0)).expect("connect");
    for message in ["message 1", "message 2"] {
        let got = subscriber.recv_multipart(0).expect("an update within 10 s");
        assert_eq!(got, [b"P".to_vec(), message.as_bytes().to_vec()]);
    }
    let (status, stdout, stderr) = sender.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        (stdout.as_str(), stderr.as_str()),
        ("P sent 2 messages\n", "")
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let cases: [(&str, &[&str]); 3] = [
        ("rrservice", &[]),
        ("fqsender", &[]),
        ("fqsender", &["--publish"]),
    ];
    // A port each: the check binds and lets go of its own socket every time.
    for (n, (example, extra)) in (0..).zip(cases) {
        let endpoint = ports.bind(n);
        let mut args = vec!["--bind", &endpoint];
        args.extend(extra);
        harness::assert_port_in_use_is_one_line_error(example, &args, &endpoint);
    }
}

#[test]
fn a_bad_endpoint_is_a_one_line_error() {
    for example in ["rrspread", "fqreader"] {
        let args = [
            "--connect",
            "tcp://localhost:5570",
            "--connect",
            "localhost:5571",
        ];
        let (status, stdout, stderr) = Example::start(example, &args).finish();
        assert_eq!(status.code(), Some(1), "{example}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.starts_with(&format!(
                "{example}: error: cannot connect to localhost:5571: no transport"
            )),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
