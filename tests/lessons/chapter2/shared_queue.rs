//! The shared-queue lesson: rrbroker between two rrclients and two rrworkers,
//! which share the clients' twenty requests evenly. Bad input: rrbroker passes
//! any frames through whole and drops replies for nobody; rrworker reports
//! malformed requests and keeps serving.

use crate::harness::{self, Example, PortBlock, Run, socket};

#[test]
fn two_workers_share_two_clients_requests() {
    let text = broker_lesson_sections("shared-queue", "rrbroker");
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("shared-queue", text));
}

/// Run a broker lesson (shared-queue, msgqueue), check that the two workers
/// shared the twenty requests evenly and that each client had its ten
/// replies, and render its output for a snapshot.
pub fn broker_lesson_sections(lesson: &str, broker: &str) -> String {
    let run = harness::run_lesson(lesson);
    run.assert_clean();
    // The broker deals requests out in turn to the workers connected when it
    // starts taking them: both are there, so each gets every other request.
    let workers = run.stdout_of_copies("worker");
    assert_eq!(workers.len(), 2);
    for (n, out) in workers.iter().enumerate() {
        assert!(
            out.lines().all(|line| line == "Received request: [Hello]"),
            "worker {}:\n{out}",
            n + 1
        );
        assert_eq!(
            out.lines().count(),
            10,
            "worker {} had half of the twenty requests:\n{out}",
            n + 1
        );
    }
    // Each client had its ten replies, and they print the same: show them once.
    let clients = run.stdout_of_copies("client");
    assert_eq!(clients.len(), 2);
    let expected: String = (0..10)
        .map(|n| format!("Received reply {n} [World]\n"))
        .collect();
    assert!(clients.iter().all(|out| *out == expected), "{clients:#?}");

    let mut text = Run::section("broker", broker, run.stdout_of("broker"));
    for (n, out) in workers.iter().enumerate() {
        text.push_str(&Run::section(&format!("worker {}", n + 1), "rrworker", out));
    }
    text.push_str(&Run::section(
        "client 1..2, each printed the same",
        "rrclient",
        clients[0],
    ));
    text
}

/// The broker does not read what it carries, so it has nothing to report:
/// any frames pass through whole, and a reply for a client the frontend does
/// not know is dropped. Then it still serves a real client.
pub fn broker_passes_anything_through_and_keeps_serving(broker: &str) {
    let ports = PortBlock::new();
    let mut example = Example::start(
        broker,
        &["--frontend", &ports.bind(0), "--backend", &ports.bind(1)],
    );
    let context = zmq::Context::new();
    // A worker that shows what reaches it, and a client with a known name that
    // sends frames no REQ socket would.
    let worker = socket(&context, zmq::DEALER);
    worker.connect(&ports.connect(1)).expect("connect");
    let odd_client = socket(&context, zmq::DEALER);
    odd_client.set_identity(b"odd").expect("identity");
    odd_client.connect(&ports.connect(0)).expect("connect");

    let odd: [&[u8]; 3] = [b"\xff\xfe", b"", b"two more frames"];
    odd_client.send_multipart(odd, 0).expect("send");
    let received = worker
        .recv_multipart(0)
        .expect("the odd request within 10 s");
    assert_eq!(
        received,
        [&b"odd"[..], b"\xff\xfe", b"", b"two more frames"],
        "the frontend names the client, then every frame follows as it was sent"
    );
    // A reply for nobody is dropped; one for the odd client reaches it.
    worker
        .send_multipart([&b"nobody"[..], b"", b"World"], 0)
        .expect("send");
    worker
        .send_multipart([&b"odd"[..], b"back"], 0)
        .expect("send");
    let reply = odd_client.recv_multipart(0).expect("a reply within 10 s");
    assert_eq!(reply, [b"back"], "only the reply addressed to it");

    // A real client still gets through, both ways.
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    client.send("Hello", 0).expect("send");
    let request = worker.recv_multipart(0).expect("the request within 10 s");
    assert_eq!(request.len(), 3, "name, delimiter, body: {request:?}");
    assert_eq!(request[1..], [&b""[..], b"Hello"]);
    worker
        .send_multipart([&request[0][..], b"", b"World"], 0)
        .expect("send");
    assert_eq!(client.recv_string(0).expect("a reply"), Ok("World".into()));

    example.interrupt();
    let (status, stdout, stderr) = example.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "");
}

#[test]
fn rrbroker_passes_anything_through_and_keeps_serving() {
    broker_passes_anything_through_and_keeps_serving("rrbroker");
}

#[test]
fn rrworker_reports_malformed_requests_and_keeps_serving() {
    let ports = PortBlock::new();
    let mut worker = Example::start("rrworker", &["--connect", &ports.connect(0)]);
    let context = zmq::Context::new();
    // Play the broker's backend: a DEALER, with the empty delimiter a REQ
    // client's request carries.
    let broker = socket(&context, zmq::DEALER);
    broker.bind(&ports.bind(0)).expect("bind");
    let requests: [&[&[u8]]; 3] = [&[b"", b"\xff\xfe"], &[b"", b"Hel", b"lo"], &[b"", b"Hello"]];
    for request in requests {
        broker.send_multipart(request, 0).expect("send");
        let reply = broker.recv_multipart(0).expect("a reply within 10 s");
        assert_eq!(reply, [&b""[..], b"World"], "every request is answered");
    }
    worker.interrupt();
    let (status, stdout, stderr) = worker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Received request: [Hello]\n");
    assert_eq!(
        stderr,
        concat!(
            "rrworker: skipping malformed message: not UTF-8 text: b\"\\xff\\xfe\"\n",
            "rrworker: skipping malformed message: 2 frames, expected 1\n",
        )
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let backend = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error(
        "rrbroker",
        &["--frontend", &ports.bind(0), "--backend", &backend],
        &backend,
    );
}
