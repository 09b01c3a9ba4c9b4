//! The hello lesson: hwserver answers hwclient's ten requests. Bad input to
//! hwserver: malformed requests are reported and skipped, a port in use is a
//! one-line error.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn client_gets_ten_worlds() {
    let run = harness::run_lesson("hello");
    run.assert_clean();
    let server = run.stdout_of("server");
    assert_eq!(
        server.lines().count(),
        10,
        "one line per request:\n{server}"
    );
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("hello", run.sections()));
}

#[test]
fn hwserver_reports_malformed_requests_and_keeps_serving() {
    let ports = PortBlock::new();
    let mut server = Example::start("hwserver", &["--bind", &ports.bind(0)]);
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
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
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let squatter = socket(&context, zmq::REP);
    squatter.bind(&ports.bind(0)).expect("bind");
    let server = Example::start("hwserver", &["--bind", &ports.bind(0)]);
    let (status, stdout, stderr) = server.finish();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "hwserver: error: cannot bind to {}: Address already in use\n",
            ports.bind(0)
        )
    );
}
