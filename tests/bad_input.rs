//! Bad input never panics: a malformed message is reported on stderr and
//! skipped (the server keeps serving), a port in use or a bad argument is a
//! short error and a non-zero exit. The test plays the peer itself, with the
//! zmq crate, on ports 25555–25599 (no other test uses them).

mod common;

use common::{Example, socket};

#[test]
fn hwserver_reports_malformed_requests_and_keeps_serving() {
    let server = Example::start("hwserver", &["--bind", "tcp://127.0.0.1:25555"]);
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect("tcp://localhost:25555").expect("connect");
    let requests: [&[&[u8]]; 4] = [&[b"\xff\xfe"], &[b"Hel", b"lo"], &[b"Goodbye"], &[b"Hello"]];
    for request in requests {
        client.send_multipart(request, 0).expect("send");
        let reply = client.recv_string(0).expect("a reply within 10 s");
        assert_eq!(reply.as_deref(), Ok("World"), "every request is answered");
    }
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Received Hello\n");
    assert_eq!(
        stderr,
        concat!(
            "hwserver: skipping malformed message: not UTF-8 text: b\"\\xff\\xfe\"\n",
            "hwserver: skipping malformed message: 2 frames, expected 1\n",
            "hwserver: skipping malformed message: \"Goodbye\", expected \"Hello\"\n",
        )
    );
}

#[test]
fn taskwork_skips_a_workload_that_is_not_a_number() {
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::PUSH);
    ventilator.bind("tcp://127.0.0.1:25557").expect("bind");
    let sink = socket(&context, zmq::PULL);
    sink.bind("tcp://127.0.0.1:25558").expect("bind");
    let worker = Example::start(
        "taskwork",
        &[
            "--ventilator",
            "tcp://localhost:25557",
            "--sink",
            "tcp://localhost:25558",
        ],
    );
    for task in ["many", "-3", "5"] {
        ventilator
            .send(task, 0)
            .expect("send (waits for the worker)");
    }
    assert_eq!(sink.recv_bytes(0).expect("one result within 10 s"), b"");
    worker.interrupt();
    let (status, stdout, stderr) = worker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "5.\n");
    assert_eq!(
        stderr,
        concat!(
            "taskwork: skipping malformed message: \"many\" is not a workload in msec\n",
            "taskwork: skipping malformed message: \"-3\" is not a workload in msec\n",
        )
    );
}

#[test]
fn taskwork2_ignores_a_control_message_other_than_kill() {
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::PUSH);
    ventilator.bind("tcp://127.0.0.1:25567").expect("bind");
    let sink = socket(&context, zmq::PULL);
    sink.bind("tcp://127.0.0.1:25568").expect("bind");
    // XPUB rather than PUB: it tells us when the worker has subscribed, so no
    // control message is lost to a slow joiner.
    let controller = socket(&context, zmq::XPUB);
    controller.bind("tcp://127.0.0.1:25569").expect("bind");
    let worker = Example::start(
        "taskwork2",
        &[
            "--ventilator",
            "tcp://localhost:25567",
            "--sink",
            "tcp://localhost:25568",
            "--controller",
            "tcp://localhost:25569",
        ],
    );
    assert_eq!(
        controller.recv_bytes(0).expect("the worker subscribes"),
        b"\x01"
    );
    controller.send("STOP", 0).expect("send");
    // Still working after STOP:
    ventilator.send("1", 0).expect("send");
    assert_eq!(sink.recv_bytes(0).expect("a result within 10 s"), b"");
    controller.send("KILL", 0).expect("send");
    let (status, stdout, stderr) = worker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "1.\n");
    assert_eq!(
        stderr,
        "taskwork2: skipping malformed message: \"STOP\", expected \"KILL\"\n"
    );
}

#[test]
fn wuclient_skips_malformed_updates() {
    let context = zmq::Context::new();
    let publisher = socket(&context, zmq::PUB);
    publisher.bind("tcp://127.0.0.1:25556").expect("bind");
    let mut client = Example::start("wuclient", &["--connect", "tcp://localhost:25556"]);
    // Publish until the client has its 100 good updates and exits (bounded).
    let started = std::time::Instant::now();
    for round in 0.. {
        let bad: &[u8] = match round % 3 {
            0 => b"10001 hot 50",
            1 => b"10001 20",
            _ => b"10001 \xff 50",
        };
        publisher.send(bad, 0).expect("send");
        publisher.send("10001 20 50", 0).expect("send");
        std::thread::sleep(std::time::Duration::from_millis(2));
        if client.has_exited() {
            break;
        }
        assert!(
            started.elapsed() < common::DEADLINE,
            "wuclient did not finish"
        );
    }
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stdout.ends_with("Average temperature for zipcode '10001 ' was 20F\n"),
        "{stdout}"
    );
    let allowed = [
        "wuclient: skipping malformed message: \"hot\" is not a temperature",
        "wuclient: skipping malformed message: \"10001 20\" is not \"zipcode temperature relhumidity\"",
        "wuclient: skipping malformed message: not UTF-8 text: b\"10001 \\xff 50\"",
    ];
    assert!(stderr.lines().count() >= 3, "{stderr}");
    for line in stderr.lines() {
        assert!(allowed.contains(&line), "unexpected: {line}");
    }
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let context = zmq::Context::new();
    let squatter = socket(&context, zmq::REP);
    squatter.bind("tcp://127.0.0.1:25575").expect("bind");
    let server = Example::start("hwserver", &["--bind", "tcp://127.0.0.1:25575"]);
    let (status, stdout, stderr) = server.finish();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "hwserver: error: cannot bind to tcp://127.0.0.1:25575: Address already in use\n"
    );
}

#[test]
fn a_bad_argument_is_a_short_error() {
    let (status, stdout, stderr) = Example::start("taskvent", &["--workers", "many"]).finish();
    assert_eq!(status.code(), Some(2), "clap's status for a usage error");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: invalid value 'many' for '--workers <N>': invalid digit"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}
