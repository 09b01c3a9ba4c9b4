//! The asyncsrv lesson: three DEALER clients send a request a second to a
//! ROUTER server for five seconds; five DEALER workers behind it answer each
//! request zero to four times. Which worker takes which request, and when
//! its replies come, varies from run to run: the test checks what must hold
//! (every reply answers a request its client sent, the counts add up) and
//! the snapshot shows the lines with placeholders. Bad input: the server
//! reports and drops malformed requests and unroutable replies, a worker
//! skips a malformed request, and both keep serving.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn clients_get_zero_or_more_replies_to_each_request() {
    let run = harness::run_lesson("asyncsrv");
    run.assert_clean();
    assert!(
        run.elapsed >= Duration::from_millis(4900),
        "it runs five seconds: {:?}",
        run.elapsed
    );
    let out = run.stdout_of("asyncsrv");
    // Each client's replies, and what it says at the end.
    let mut replies: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut summaries: BTreeMap<&str, (u32, usize)> = BTreeMap::new();
    let mut pids = Vec::new();
    for line in out.lines() {
        let (client, rest) = line.split_at(11);
        let (pid, number) = client.split_once('-').expect("PROCESS-CLIENT");
        assert!(pid.chars().all(|c| c.is_ascii_hexdigit()), "{line}");
        assert!(["0000", "0001", "0002"].contains(&number), "{line}");
        pids.push(pid);
        if let Some(reply) = rest.strip_prefix(" [") {
            let (size, text) = reply.split_once("] ").expect("[SIZE] TEXT");
            assert_eq!(size.parse::<usize>(), Ok(text.len()), "{line}");
            let n = text.strip_prefix("request #").expect("a request echoed");
            replies
                .entry(client)
                .or_default()
                .push(n.parse().expect("#N"));
        } else {
            let counts = rest
                .strip_prefix(": ")
                .and_then(|r| r.strip_suffix(" replies received"))
                .and_then(|r| r.split_once(" requests sent, "))
                .unwrap_or_else(|| panic!("a client's summary: {line}"));
            let counts = (counts.0.parse().expect("N"), counts.1.parse().expect("N"));
            assert!(summaries.insert(client, counts).is_none(), "{line}");
        }
    }
    pids.dedup();
    assert_eq!(pids.len(), 1, "one process: {pids:?}");
    assert_eq!(summaries.len(), 3, "three clients:\n{out}");
    let mut total = 0;
    for (client, (sent, received)) in &summaries {
        // A request a second for five seconds; a slow machine sends fewer.
        assert!((1..=5).contains(sent), "{client} sent {sent}");
        let got = replies.get(client).map_or(&[][..], Vec::as_slice);
        assert_eq!(got.len(), *received, "{client} counted its replies");
        // Each reply echoes a request this client had sent, at most four
        // times each (a worker sends zero to four).
        for &n in got {
            assert!((1..=*sent).contains(&n), "{client} got request #{n}");
            assert!(got.iter().filter(|&&m| m == n).count() <= 4, "{got:?}");
        }
        total += received;
    }
    assert!(total > 0, "some request was answered:\n{out}");

    // Every reply line has one shape, and every summary: show one of each,
    // with the count of reply lines. Which client gets which reply, and
    // when, varies; the summaries come in the order the clients stop.
    let mut shown = format!("[PID]-[CLIENT] [010] request #[N]   ({total} such lines)\n");
    for client in summaries.keys() {
        let (_, number) = client.split_at(7);
        shown.push_str(&format!(
            "[PID]-{number}: [SENT] requests sent, [RECEIVED] replies received\n"
        ));
    }
    let text = harness::Run::section(
        "asyncsrv, reply lines merged and counted, summaries sorted by client",
        "asyncsrv",
        &shown,
    );
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"\(\d+ such lines\)", "([TOTAL] such lines)");
    settings.bind(|| insta::assert_snapshot!("asyncsrv", text));
}

/// A DEALER of the test's own connected to `endpoint`, with routing id `id`
/// if one is given.
fn dealer(context: &zmq::Context, endpoint: &str, id: Option<&str>) -> zmq::Socket {
    let dealer = socket(context, zmq::DEALER);
    if let Some(id) = id {
        dealer.set_identity(id.as_bytes()).expect("identity");
    }
    dealer.connect(endpoint).expect("connect");
    dealer
}

#[test]
fn the_server_drops_what_it_cannot_route_and_keeps_serving() {
    // The server alone, its backend on TCP: the test plays a client and a
    // worker, so every message is one it chose.
    let ports = PortBlock::new();
    let server = Example::start(
        "asyncsrv",
        &[
            "--bind",
            &ports.bind(0),
            "--backend",
            &ports.bind(1),
            "--clients",
            "0",
            "--workers",
            "0",
            "--seconds",
            "0",
        ],
    );
    let context = zmq::Context::new();
    // The worker's connection first, so that the server has somewhere to
    // pass the good request on to.
    let worker = socket(&context, zmq::DEALER);
    let mut handshakes = workbook::PeerWatch::new(&context, &worker).expect("monitor");
    worker.connect(&ports.connect(1)).expect("connect");
    assert!(handshakes.wait_for(1).expect("the worker connects"));
    let client = dealer(&context, &ports.connect(0), Some("C1"));
    // A REQ socket's request carries REQ's empty delimiter: two frames.
    let req = socket(&context, zmq::REQ);
    req.set_identity(b"R1").expect("identity");
    req.connect(&ports.connect(0)).expect("connect");
    req.send("request #1", 0).expect("send");
    client
        .send_multipart(["request #1", "and more"], 0)
        .expect("send");
    client.send("", 0).expect("send"); // An empty request.
    client.send("request #2", 0).expect("send");
    // Only the good one reaches the worker, behind the client's routing id.
    let request = worker.recv_multipart(0).expect("a request within 10 s");
    assert_eq!(request, [b"C1".to_vec(), b"request #2".to_vec()]);
    // Replies: one without the client's routing id, one for a client that
    // is not there, then a good one, which the client gets.
    worker.send("request #2", 0).expect("send");
    worker
        .send_multipart(["NOBODY", "request #2"], 0)
        .expect("send");
    worker
        .send_multipart(["C1", "request #2"], 0)
        .expect("send");
    assert_eq!(
        client.recv_multipart(0).expect("a reply within 10 s"),
        [b"request #2".to_vec()]
    );
    let mut server = server;
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "");
    let expected = [
        "asyncsrv: skipping malformed message: 2 frames after the routing id of client R1, expected 1 (the request)",
        "asyncsrv: skipping malformed message: 2 frames after the routing id of client C1, expected 1 (the request)",
        "asyncsrv: skipping malformed message: an empty request from client C1",
        "asyncsrv: skipping malformed message: 1 frames from a worker, expected a client's routing id and a reply",
        "asyncsrv: dropping a reply for client NOBODY: no such client is connected",
    ];
    // R1's and C1's requests come on two connections, fair-queued: the
    // order of the reports varies.
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(lines, expected, "{stderr}");
}

#[test]
fn a_worker_skips_a_malformed_request_and_keeps_working() {
    // One worker and no server: the test binds the backend and plays it.
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let backend = socket(&context, zmq::DEALER);
    // A reply comes after at most a second's pause, or none at all.
    backend.set_rcvtimeo(2000).expect("rcvtimeo");
    backend.bind(&ports.bind(0)).expect("bind");
    let mut worker = Example::start(
        "asyncsrv",
        &[
            "--no-server",
            "--backend",
            &ports.connect(0),
            "--clients",
            "0",
            "--workers",
            "1",
            "--seconds",
            "0",
            "--seed",
            "42",
        ],
    );
    backend.send("no routing id", 0).expect("send");
    backend
        .send_multipart(["C1", "request #1", "extra"], 0)
        .expect("send");
    // Zero to four replies a request: ask until one comes (bounded).
    let started = Instant::now();
    let mut n = 0;
    let reply = loop {
        assert!(started.elapsed() < harness::DEADLINE, "no reply at all");
        n += 1;
        let request = format!("request #{n}");
        backend.send_multipart(["C1", &request], 0).expect("send");
        if let Ok(reply) = backend.recv_multipart(0) {
            break reply;
        }
    };
    assert_eq!(reply[0], b"C1", "the routing id comes back in front");
    assert!(reply[1].starts_with(b"request #"), "{reply:?}");
    worker.interrupt();
    let (status, stdout, stderr) = worker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "asyncsrv: skipping malformed message: 1 frames, expected a routing id and a request\n\
         asyncsrv: skipping malformed message: 3 frames, expected a routing id and a request\n"
    );
}

#[test]
fn replies_go_only_to_the_client_that_asked() {
    // The lesson's three clients, and a fourth of the test's own whose
    // requests no one else sends: it gets only its own back, and the
    // others never see them.
    let ports = PortBlock::new();
    let mut example = Example::start(
        "asyncsrv",
        &[
            "--bind",
            &ports.bind(0),
            "--connect",
            &ports.connect(0),
            "--seconds",
            "0",
            "--seed",
            "42",
        ],
    );
    let context = zmq::Context::new();
    let client = dealer(&context, &ports.connect(0), Some("TEST"));
    let sent: Vec<String> = (1001..=1010).map(|n| format!("request #{n}")).collect();
    for request in &sent {
        client.send(request.as_str(), 0).expect("send");
    }
    let reply = client.recv_string(0).expect("a reply within 10 s");
    assert!(sent.contains(reply.as_ref().expect("text")), "{reply:?}");
    example.wait_for_output("request #");
    example.interrupt();
    let interrupted = Instant::now();
    let (status, stdout, stderr) = example.finish();
    // A bound for a hang, not a measure of speed (a busy machine is slow).
    assert!(
        interrupted.elapsed() < Duration::from_secs(15),
        "Ctrl-C stops it within 15 s"
    );
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    assert!(!stdout.contains("request #100"), "{stdout}");
    while let Ok(reply) = client.recv_string(zmq::DONTWAIT) {
        assert!(sent.contains(reply.as_ref().expect("text")), "{reply:?}");
    }
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "asyncsrv",
        &["--bind", &ports.bind(0), "--connect", &ports.connect(0)],
        &ports.bind(0),
    );
}
