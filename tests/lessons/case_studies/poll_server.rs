//! The poll-server lesson: pollserver, one ROUTER socket polled a second at a
//! time, serves three pollclients at once, five requests each, counting each
//! client's requests; then two quiet polls in a row stop it. Bad input:
//! malformed envelopes and requests to pollserver, malformed replies to
//! pollclient.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::harness::{self, Example, PortBlock, Run, socket};

const QUIET: &str = "No request for 1000 ms; polling again";
const STOPPING: &str = "No request for 1000 ms, 2 in a row: stopping";

/// "client C, request R: Hello" as (C, R).
fn request_line(line: &str) -> Option<(u32, u32)> {
    let rest = line.strip_prefix("client ")?.strip_suffix(": Hello")?;
    let (client, request) = rest.split_once(", request ")?;
    Some((client.parse().ok()?, request.parse().ok()?))
}

#[test]
fn three_clients_are_served_at_once_then_quiet_polls_stop_the_server() {
    let run = harness::run_lesson("poll-server");
    run.assert_clean();
    let server = run.stdout_of("server");
    let lines: Vec<&str> = server.lines().collect();
    assert_eq!(lines[0], "Polling for requests, 1000 ms at a time");
    // It ended by itself: the last request, one quiet poll, then a second.
    assert_eq!(lines[lines.len() - 2..], [QUIET, STOPPING], "\n{server}");
    let mut requests: Vec<(u32, u32)> = Vec::new();
    for line in &lines[1..lines.len() - 2] {
        match request_line(line) {
            Some(request) => requests.push(request),
            // Only a machine that stalls a client for a second makes one,
            // or a client that starts a second late.
            None if *line == QUIET => eprintln!("poll-server: a quiet poll between requests"),
            None => panic!("unexpected line {line:?}"),
        }
    }
    // Each client's requests counted 1 to 5, in order, whatever the interleaving.
    let mut per_client: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (client, request) in &requests {
        per_client.entry(*client).or_default().push(*request);
    }
    let expected: BTreeMap<u32, Vec<u32>> = (1..=3).map(|c| (c, (1..=5).collect())).collect();
    assert_eq!(per_client, expected, "\n{server}");
    // Two quiet polls of a second each come after the last request.
    assert!(
        run.elapsed >= Duration::from_millis(1900),
        "{:?}",
        run.elapsed
    );

    let clients = run.stdout_of_copies("client");
    assert_eq!(clients.len(), 3);
    let replies: String = (1..=5)
        .map(|n| format!("Received reply {n} [World {n}]\n"))
        .collect();
    for output in &clients {
        assert_eq!(*output, replies, "each client's own count");
    }

    requests.sort();
    let mut shown = format!("{}\n", lines[0]);
    for (client, request) in requests {
        shown.push_str(&format!("client {client}, request {request}: Hello\n"));
    }
    shown.push_str(&format!("{QUIET}\n{STOPPING}\n"));
    let mut text = Run::section(
        "server, request lines sorted by client",
        "pollserver",
        &shown,
    );
    text.push_str(&Run::section(
        "client 1..3, each printed the same",
        "pollclient",
        clients[0],
    ));
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("poll-server", text));
}

#[test]
fn pollserver_skips_malformed_requests_and_keeps_serving() {
    let ports = PortBlock::new();
    let mut server = Example::start(
        "pollserver",
        &["--bind", &ports.bind(0), "--timeout-ms", "60000"],
    );
    let context = zmq::Context::new();
    // A DEALER can send what a REQ never would.
    let dealer = socket(&context, zmq::DEALER);
    dealer.connect(&ports.connect(0)).expect("connect");
    let bad: [&[&[u8]]; 5] = [
        &[b"Hello"],
        &[b"x", b"Hello"],
        &[b"", b"Hel", b"lo"],
        &[b"", b"\xff"],
        &[b"", b"Goodbye"],
    ];
    for message in bad {
        dealer.send_multipart(message, 0).expect("send");
    }
    dealer
        .send_multipart([&b""[..], b"Hello"], 0)
        .expect("send");
    let reply = dealer.recv_multipart(0).expect("a reply within 10 s");
    assert_eq!(
        reply,
        [b"".to_vec(), b"World 1".to_vec()],
        "nothing for the bad ones"
    );
    // A second client is counted apart.
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    for n in 1..=2 {
        client.send("Hello", 0).expect("send");
        let reply = client.recv_string(0).expect("a reply within 10 s");
        assert_eq!(reply.as_deref(), Ok(format!("World {n}").as_str()));
    }
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "Polling for requests, 60000 ms at a time\n\
         client 1, request 1: Hello\n\
         client 2, request 1: Hello\n\
         client 2, request 2: Hello\n"
    );
    assert_eq!(
        stderr,
        "pollserver: skipping malformed message: 2 frames, expected identity, \"\", request\n\
         pollserver: skipping malformed message: no empty delimiter after the identity\n\
         pollserver: skipping malformed message: 4 frames, expected identity, \"\", request\n\
         pollserver: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         pollserver: skipping malformed message: \"Goodbye\", expected \"Hello\"\n"
    );
}

#[test]
fn pollserver_reports_quiet_polls_and_stops_only_once_it_has_served() {
    let ports = PortBlock::new();
    let mut server = Example::start(
        "pollserver",
        &[
            "--bind",
            &ports.bind(0),
            "--timeout-ms",
            "100",
            "--stop-after",
            "1",
        ],
    );
    // No client yet: quiet polls, reported, and no stop.
    let seen = server.wait_for_output(
        "No request for 100 ms; polling again\nNo request for 100 ms; polling again\n",
    );
    assert!(!server.has_exited(), "stopped before serving anyone");
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    client.send("Hello", 0).expect("send");
    assert_eq!(
        client.recv_string(0).expect("a reply").as_deref(),
        Ok("World 1")
    );
    // Served once: the next quiet poll stops it, by itself.
    let (status, rest, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let stdout = seen + &rest;
    assert!(
        stdout
            .ends_with("client 1, request 1: Hello\nNo request for 100 ms, 1 in a row: stopping\n"),
        "{stdout}"
    );
}

#[test]
fn pollclient_skips_malformed_replies() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let router = socket(&context, zmq::ROUTER);
    router.bind(&ports.bind(0)).expect("bind");
    let client = Example::start(
        "pollclient",
        &["--connect", &ports.connect(0), "--requests", "3"],
    );
    let replies: [&[&[u8]]; 3] = [&[b"\xff"], &[b"World", b"2"], &[b"World 3"]];
    for reply in replies {
        let request = router.recv_multipart(0).expect("a request within 10 s");
        assert_eq!(request[1..], [b"".to_vec(), b"Hello".to_vec()]);
        let mut frames = vec![&request[0][..], b""];
        frames.extend_from_slice(reply);
        router.send_multipart(frames, 0).expect("send");
    }
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Received reply 3 [World 3]\n");
    assert_eq!(
        stderr,
        "pollclient: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         pollclient: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn pollserver_with_a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "pollserver",
        &["--bind", &ports.bind(0)],
        &ports.bind(0),
    );
}
