//! The hello lesson: hwserver answers hwclient's ten requests. Bad input to
//! hwserver: malformed requests are reported and skipped; a port in use and an
//! endpoint libzmq would misread are one-line errors.

use crate::harness::{self, Example, PortBlock};

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
    harness::send_malformed_hello_requests(&ports.connect(0));
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
    let endpoint = PortBlock::new().bind(0);
    harness::assert_port_in_use_is_one_line_error("hwserver", &["--bind", &endpoint], &endpoint);
}

#[test]
fn an_endpoint_libzmq_would_misread_is_a_one_line_error() {
    let good = "an endpoint is TRANSPORT://ADDRESS, such as tcp://127.0.0.1:5555 to bind \
                or tcp://localhost:5555 to connect";
    let cases: [(&str, &[&str], String); 2] = [
        // libzmq would listen on port 34463 (99999 wrapped round) and say nothing.
        (
            "hwserver",
            &["--bind", "tcp://127.0.0.1:99999"],
            "hwserver: error: cannot bind to tcp://127.0.0.1:99999: \
             port 99999 is out of range (0 to 65535)\n"
                .to_string(),
        ),
        // libzmq would say only "Invalid argument".
        (
            "hwclient",
            &["--connect", "localhost:5555"],
            format!(
                "hwclient: error: cannot connect to localhost:5555: \
                 no transport (tcp://, ipc://, inproc://…); {good}\n"
            ),
        ),
    ];
    for (example, args, expected) in cases {
        let (status, _, stderr) = Example::start(example, args).finish();
        assert_eq!(status.code(), Some(1), "{example} {args:?}");
        assert_eq!(stderr, expected);
    }
}
