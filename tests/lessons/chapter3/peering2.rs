//! The peering2 lesson: three brokers, each with ten clients and three
//! workers; a request goes to a local worker when one is free, else to a
//! peer broker. Bad input: malformed envelopes on each of a broker's four
//! ROUTER sockets are reported on stderr and dropped, and it goes on serving.

use crate::harness::{self, Example, Run, socket};

const BROKERS: [&str; 3] = ["DC1", "DC2", "DC3"];

fn count(out: &str, prefix: &str) -> usize {
    out.lines().filter(|l| l.starts_with(prefix)).count()
}

#[test]
fn requests_are_served_locally_and_across_the_cloud() {
    // Until every broker's clients have had twenty replies and some request
    // has crossed to a peer, then Ctrl-C.
    let run = harness::run_lesson_until("peering2", |stdout| {
        stdout.iter().all(|out| count(out, "Client: OK") >= 20)
            && stdout.iter().any(|out| out.contains(" (via "))
    });
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    let (mut replies, mut served) = (0, 0);
    let mut text = String::new();
    for (broker, process) in BROKERS.iter().zip(&run.plan) {
        let out = run.stdout_of(broker);
        let start: Vec<&str> = out.lines().filter(|l| l.starts_with("I: ")).collect();
        let peers: Vec<&str> = BROKERS.iter().copied().filter(|b| b != broker).collect();
        assert_eq!(
            start,
            [
                format!("I: preparing broker at {broker}..."),
                format!("I: connecting to cloud frontend at '{}'", peers[0]),
                format!("I: connecting to cloud frontend at '{}'", peers[1]),
                "I: every peer is there; starting the workers and clients".to_string(),
            ]
        );
        // Every other line is a client's reply or a worker's request; a
        // request from a peer names the peer it came through.
        let mut via_peers = 0;
        for line in out.lines().skip(start.len()) {
            match line.strip_prefix("Worker: HELLO") {
                Some("") => {}
                Some(via) => {
                    let peer = via.strip_prefix(" (via ").and_then(|p| p.strip_suffix(')'));
                    assert!(peers.contains(&peer.unwrap_or_default()), "{line}");
                    via_peers += 1;
                }
                None => assert_eq!(line, "Client: OK"),
            }
        }
        replies += count(out, "Client: OK");
        served += count(out, "Worker: HELLO");
        let mut section: String = start.iter().map(|l| format!("{l}\n")).collect();
        section.push_str(&format!(
            "then, mixed as they come:\n\
             Client: OK                   {} times\n\
             Worker: HELLO                {} times\n\
             Worker: HELLO (via PEER)     {} times\n",
            count(out, "Client: OK"),
            count(out, "Worker: HELLO") - via_peers,
            via_peers,
        ));
        text.push_str(&Run::section(broker, process.example, &section));
    }
    // Every reply came from a worker; at most one request per client (30)
    // was served and not yet answered when Ctrl-C came.
    assert!(
        served >= replies && served <= replies + 30,
        "{served} served, {replies} replies"
    );
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"\d+ times", "[COUNT] times");
    settings.bind(|| insta::assert_snapshot!("peering2", text));
}

#[test]
fn peering2_reports_malformed_envelopes_on_every_router_and_goes_on() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc = |file: &str| format!("ipc://{}/{file}", dir.path().display());
    let context = zmq::Context::new();
    // The test plays DC2: its cloud frontend (DC1's cloud backend connects
    // to it) and its cloud backend (connected to DC1's cloud frontend).
    let dc2_fe = socket(&context, zmq::ROUTER);
    dc2_fe.set_identity(b"DC2").expect("routing id");
    dc2_fe.bind(&ipc("DC2-cloud.ipc")).expect("bind");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    let args = [
        "--ipc-dir",
        ipc_dir,
        "--clients",
        "0",
        "--workers",
        "0",
        "DC1",
        "DC2",
    ];
    let mut broker = Example::start("peering2", &args);
    let mut stdout = broker.wait_for_output("starting the workers and clients\n");
    let dc2_be = socket(&context, zmq::ROUTER);
    dc2_be.set_identity(b"DC2").expect("routing id");
    dc2_be.set_router_mandatory(true).expect("mandatory");
    dc2_be.connect(&ipc("DC1-cloud.ipc")).expect("connect");
    let dc9_be = socket(&context, zmq::DEALER);
    dc9_be.set_identity(b"DC9").expect("routing id");
    dc9_be.connect(&ipc("DC1-cloud.ipc")).expect("connect");
    let client = socket(&context, zmq::REQ);
    client.connect(&ipc("DC1-localfe.ipc")).expect("connect");
    let raw_client = socket(&context, zmq::DEALER);
    raw_client
        .connect(&ipc("DC1-localfe.ipc"))
        .expect("connect");
    let worker = socket(&context, zmq::DEALER);
    worker.connect(&ipc("DC1-localbe.ipc")).expect("connect");

    // No worker: a client's request goes to the cloud, to DC2, which answers.
    client.send("HELLO", 0).expect("send");
    let mut request = dc2_fe.recv_multipart(0).expect("a request within 10 s");
    assert_eq!(request.len(), 4, "[DC1, client, \"\", HELLO]: {request:?}");
    assert_eq!(
        (&request[0][..], &request[3][..]),
        (&b"DC1"[..], &b"HELLO"[..])
    );
    request[3] = b"OK".to_vec();
    dc2_fe.send_multipart(&request, 0).expect("send");
    assert_eq!(client.recv_string(0).expect("a reply"), Ok("OK".into()));

    // Malformed: to localfe, cloudbe, cloudfe (queued until a worker is
    // free), then localbe, whose last message makes the test a worker.
    raw_client.send_multipart(["HELLO"], 0).expect("send");
    raw_client.send_multipart(["", ""], 0).expect("send");
    dc2_fe.send_multipart(["DC1", "OK"], 0).expect("send");
    dc2_fe
        .send_multipart(["DC1", "NOBODY", "", "OK"], 0)
        .expect("send");
    dc2_be.send_multipart(["DC1", "HELLO"], 0).expect("send");
    dc9_be.send_multipart(["C1", "", "HELLO"], 0).expect("send");
    worker.send_multipart(["OK"], 0).expect("send");
    worker
        .send_multipart(["", "NOBODY", "", "OK"], 0)
        .expect("send");

    // A peer's request reaches the worker, and its reply the peer.
    dc2_be
        .send_multipart(["DC1", "C1", "", "HELLO"], 0)
        .expect("send");
    let mut work = worker.recv_multipart(0).expect("a request within 10 s");
    assert_eq!(work, [&b""[..], b"DC2", b"C1", b"", b"HELLO"]);
    work[4] = b"OK".to_vec();
    worker.send_multipart(&work, 0).expect("send");
    let reply = dc2_be.recv_multipart(0).expect("a reply within 10 s");
    assert_eq!(reply, [&b"DC1"[..], b"C1", b"", b"OK"]);

    // And a client's request goes to the worker, now that there is one.
    client.send("HELLO", 0).expect("send");
    let mut work = worker.recv_multipart(0).expect("a request within 10 s");
    assert_eq!(work.len(), 4, "[\"\", client, \"\", HELLO]: {work:?}");
    work[3] = b"OK".to_vec();
    worker.send_multipart(&work, 0).expect("send");
    assert_eq!(client.recv_string(0).expect("a reply"), Ok("OK".into()));

    broker.interrupt();
    let (status, rest, stderr) = broker.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "I: preparing broker at DC1...\n\
         I: connecting to cloud frontend at 'DC2'\n\
         I: every peer is there; starting the workers and clients\n"
    );
    // One line each; the sockets are read in turn, so sorted.
    let skipping = "peering2: skipping malformed message: on";
    let mut expected = [
        format!("{skipping} localfe: not [client, \"\", body] but 2 frames: [\"\\0"),
        format!("{skipping} localfe: an empty body"),
        format!("{skipping} cloudbe: a reply: not [client, \"\", body] but 1 frames: [\"OK\"]"),
        format!("{skipping} localfe: no peer \"NOBODY\" to send to; dropped"),
        format!("{skipping} cloudfe: not [client, \"\", body] but 1 frames: [\"HELLO\"]"),
        format!("{skipping} cloudfe: \"DC9\" is not a peer"),
        format!("{skipping} localbe: no empty delimiter after the routing id in 2 frames"),
        format!("{skipping} localfe: no peer \"NOBODY\" to send to; dropped"),
    ];
    expected.sort();
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (line, expected) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line}\nnot {expected}\n{stderr}"
        );
    }
    for file in ["cloud", "localfe", "localbe"] {
        assert!(
            !dir.path().join(format!("DC1-{file}.ipc")).exists(),
            "{file}"
        );
    }
}
