//! The several-ports lesson: portserver started twice, on 5556 and 5546;
//! portclient's one REQ socket, connected to both, sends six requests, and
//! the replies alternate between the two ports. Bad input: malformed requests
//! to portserver, malformed replies to portclient.

use crate::harness::{self, Example, PortBlock, socket};

/// The port of a process's `--bind` endpoint, as the lesson ran it.
fn bound_port(run: &harness::Run, process: usize) -> String {
    let endpoint = &run.plan[process].args[1];
    endpoint.rsplit(':').next().expect("a port").to_string()
}

#[test]
fn the_replies_alternate_between_the_two_ports() {
    let run = harness::run_lesson("several-ports");
    run.assert_clean();
    // The test moved the lesson's ports to a block of its own.
    let (first, second) = (bound_port(&run, 0), bound_port(&run, 1));
    assert_eq!(run.plan[2].args[1].rsplit(':').next(), Some(first.as_str()));
    assert_eq!(
        run.plan[2].args[3].rsplit(':').next(),
        Some(second.as_str())
    );

    // REQ deals requests out in turn, starting with the first connection.
    let replies: Vec<&str> = run
        .stdout_of("client")
        .lines()
        .filter_map(|line| line.strip_prefix("Received reply "))
        .collect();
    let expected: Vec<String> = (1..=6)
        .map(|n| {
            let port = if n % 2 == 1 { &first } else { &second };
            format!("{n} [World from {port}]")
        })
        .collect();
    assert_eq!(replies, expected, "one each, in turn");
    assert_eq!(
        run.stdout_of("first server"),
        format!(
            "Serving on port {first}\nReceived request: Hello 1\n\
             Received request: Hello 3\nReceived request: Hello 5\n"
        )
    );
    assert_eq!(
        run.stdout_of("second server"),
        format!(
            "Serving on port {second}\nReceived request: Hello 2\n\
             Received request: Hello 4\nReceived request: Hello 6\n"
        )
    );

    // Shown with the lesson's own ports.
    let mut settings = harness::snapshot_settings();
    settings.add_filter(&format!(r"\b{first}\b"), "5556");
    settings.add_filter(&format!(r"\b{second}\b"), "5546");
    settings.bind(|| insta::assert_snapshot!("several-ports", run.sections()));
}

#[test]
fn portserver_answers_malformed_requests_but_does_not_show_them() {
    let ports = PortBlock::new();
    let mut server = Example::start("portserver", &["--bind", &ports.bind(0)]);
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    let port = ports.first.to_string();
    let requests: [&[&[u8]]; 6] = [
        &[b"\xff"],
        &[b"Hello", b" 1"],
        &[b"Goodbye 1"],
        &[b"Hello"],
        &[b"Hello x"],
        &[b"Hello 7"],
    ];
    for request in requests {
        client.send_multipart(request, 0).expect("send");
        let reply = client.recv_string(0).expect("a reply within 10 s");
        assert_eq!(
            reply,
            Ok(format!("World from {port}")),
            "every request answered"
        );
    }
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!("Serving on port {port}\nReceived request: Hello 7\n")
    );
    assert_eq!(
        stderr,
        "portserver: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         portserver: skipping malformed message: 2 frames, expected 1\n\
         portserver: skipping malformed message: \"Goodbye 1\", expected \"Hello N\"\n\
         portserver: skipping malformed message: \"Hello\", expected \"Hello N\"\n\
         portserver: skipping malformed message: \"Hello x\", expected \"Hello N\"\n"
    );
}

#[test]
fn portclient_skips_malformed_replies() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let server = socket(&context, zmq::REP);
    server.bind(&ports.bind(0)).expect("bind");
    let client = Example::start(
        "portclient",
        &["--connect", &ports.connect(0), "--requests", "3"],
    );
    let replies: [&[&[u8]]; 3] = [&[b"\xff"], &[b"World", b"x"], &[b"World from here"]];
    for (n, reply) in replies.into_iter().enumerate() {
        let request = server.recv_string(0).expect("a request within 10 s");
        assert_eq!(request, Ok(format!("Hello {}", n + 1)));
        server.send_multipart(reply, 0).expect("send");
    }
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Connecting to {}\nSending request 1…\nSending request 2…\n\
             Sending request 3…\nReceived reply 3 [World from here]\n",
            ports.connect(0)
        )
    );
    assert_eq!(
        stderr,
        "portclient: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         portclient: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn portserver_with_a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "portserver",
        &["--bind", &ports.bind(0)],
        &ports.bind(0),
    );
}
