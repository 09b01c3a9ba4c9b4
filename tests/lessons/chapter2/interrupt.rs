//! The interrupt lesson: the interrupt server answers hwclient's ten requests,
//! then the runner's Ctrl-C reaches it through its self-pipe. By hand: Ctrl-C
//! and SIGTERM wake its poll at once; malformed requests are reported,
//! answered and skipped.

use std::time::{Duration, Instant};

use crate::harness::{self, Example, PortBlock, socket};

const STOPPED: &str = "W: interrupt received, killing server…\nW: cleaning up\n";

#[test]
fn client_gets_ten_worlds_then_ctrl_c_stops_the_server() {
    let run = harness::run_lesson("interrupt");
    // Every process exited 0 (the server after the runner's Ctrl-C), nothing on stderr.
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Finished);
    let server = run.stdout_of("server");
    assert_eq!(
        server,
        "W: recv\n".repeat(10) + STOPPED,
        "ten requests, then the interrupt"
    );
    assert_eq!(
        run.stdout_of("client")
            .lines()
            .filter(|l| l.starts_with("Received World"))
            .count(),
        10
    );
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("interrupt", run.sections()));
}

enum Signal {
    CtrlC,
    Term,
}

/// Start the server, make sure it serves, signal it, and check that it
/// stops at once, with exit status 0 and the interrupt line.
fn stops_promptly_on(signal: Signal) {
    let ports = PortBlock::new();
    let mut server = Example::start("interrupt", &["--bind", &ports.bind(0)]);
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(&ports.connect(0)).expect("connect");
    client.send("Hello", 0).expect("send");
    let reply = client.recv_string(0).expect("a reply within 10 s");
    assert_eq!(reply.as_deref(), Ok("World"));

    // Now it is blocked in a poll with no timeout: only the pipe wakes it.
    match signal {
        Signal::CtrlC => server.interrupt(),
        Signal::Term => server.terminate(),
    }
    let signalled = Instant::now();
    while !server.has_exited() {
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "still running 5 s after the signal"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, format!("W: recv\n{STOPPED}"));
    assert_eq!(stderr, "");
}

#[test]
fn ctrl_c_wakes_the_poll_and_it_exits_cleanly() {
    stops_promptly_on(Signal::CtrlC);
}

#[test]
fn sigterm_does_the_same() {
    stops_promptly_on(Signal::Term);
}

#[test]
fn reports_malformed_requests_and_keeps_serving() {
    let ports = PortBlock::new();
    let mut server = Example::start("interrupt", &["--bind", &ports.bind(0)]);
    harness::send_malformed_hello_requests(&ports.connect(0));
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, format!("W: recv\n{STOPPED}"));
    assert_eq!(
        stderr,
        concat!(
            "interrupt: skipping malformed message: not UTF-8 text: b\"\\xff\\xfe\"\n",
            "interrupt: skipping malformed message: 2 frames, expected 1\n",
            "interrupt: skipping malformed message: \"Goodbye\", expected \"Hello\"\n",
        )
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let endpoint = PortBlock::new().bind(0);
    harness::assert_port_in_use_is_one_line_error("interrupt", &["--bind", &endpoint], &endpoint);
}
