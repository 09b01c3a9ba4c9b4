//! The bind-connect lesson: earlyclient sends before lateserver has bound,
//! and gets its reply once the server is there; multibind serves a TCP and an
//! IPC client from one socket, and shows what a second bind of each does;
//! linger counts what survives a close under four linger settings. By hand:
//! malformed requests and replies, a port in use, bad arguments, and Ctrl-C
//! in the middle of linger's last round.

use std::time::{Duration, Instant};

use crate::harness::{self, Example, PortBlock, socket};

/// The snapshot's placeholders: the tests run the lesson on ports of their
/// own, and times and the temporary directory's name vary.
fn settings() -> insta::Settings {
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"(tcp://(?:127\.0\.0\.1|localhost)):\d+", "$1:[PORT]");
    settings.add_filter(r"ipc://\S+/multibind\.ipc", "ipc://[TEMPDIR]/multibind.ipc");
    settings.add_filter(r"\d+ ms after sending", "[ELAPSED] ms after sending");
    settings.add_filter(r"(of 10 +)\d+ ms", "$1[ELAPSED] ms");
    settings
}

/// linger's rows: (received, context terminated after, in ms).
fn linger_rows(output: &str) -> Vec<(u32, u128)> {
    output
        .lines()
        .skip(1)
        .map(|row| {
            // … RECEIVED of 10   ELAPSED ms
            let fields: Vec<&str> = row.split_whitespace().collect();
            let of = fields.iter().position(|f| *f == "of").expect("N of 10");
            let received = fields[of - 1].parse().expect("a count");
            let elapsed = fields[fields.len() - 2].parse().expect("ms");
            (received, elapsed)
        })
        .collect()
}

#[test]
fn a_client_before_its_server_two_transports_and_four_lingers() {
    let run = harness::run_lesson("bind-connect");
    run.assert_clean();

    // The client was started first, and the server bound a second later: the
    // reply cannot have come sooner than that, whatever the machine (minus
    // the time it took to start the server's process, with a wide margin).
    let client = run.stdout_of("client");
    let waited: u128 = client
        .lines()
        .find_map(|line| line.strip_prefix("Received \"World\" "))
        .and_then(|rest| rest.strip_suffix(" ms after sending"))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("no reply in:\n{client}"));
    assert!(
        waited >= 800,
        "the request waited for the bind: {waited} ms"
    );
    assert!(run.stdout_of("server").ends_with("Received \"Hello\"\n"));

    // multibind removed its temporary directory, socket file and all.
    let multibind = run.stdout_of("multibind");
    let directory = multibind
        .lines()
        .find_map(|line| line.strip_prefix("Server bound to ipc://"))
        .and_then(|path| path.strip_suffix("/multibind.ipc"))
        .unwrap_or_else(|| panic!("no IPC endpoint in:\n{multibind}"));
    assert!(
        !std::path::Path::new(directory).exists(),
        "{directory} is still there"
    );
    assert!(multibind.contains("Address already in use"), "{multibind}");

    // linger: 0 drops at once; 1000 ms keeps them for a peer that comes in
    // time, and gives up on one that does not; -1 waits for the peer.
    let rows = linger_rows(run.stdout_of("linger"));
    let received: Vec<u32> = rows.iter().map(|row| row.0).collect();
    assert_eq!(received, [0, 10, 0, 10], "{rows:?}");
    let ended: Vec<u128> = rows.iter().map(|row| row.1).collect();
    assert!(ended[0] < 500, "linger 0 does not wait: {ended:?}");
    // The peer bound 200 ms after the close: no sooner could they go.
    assert!((200..1000).contains(&ended[1]), "{ended:?}");
    // Nobody came in the second the linger gave them.
    assert!((990..1500).contains(&ended[2]), "{ended:?}");
    // Linger -1 waited for the peer, 1500 ms after the close.
    assert!(ended[3] >= 1500, "{ended:?}");

    settings().bind(|| insta::assert_snapshot!("bind-connect", run.sections()));
}

#[test]
fn lateserver_answers_malformed_requests_and_reports_them() {
    let ports = PortBlock::new();
    let mut server = Example::start("lateserver", &["--bind", &ports.bind(0), "--delay-ms", "0"]);
    harness::send_malformed_hello_requests(&ports.connect(0));
    server.interrupt();
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Waiting 0 ms before binding\nBound to {}\nReceived \"Goodbye\"\nReceived \"Hello\"\n",
            ports.bind(0)
        )
    );
    assert_eq!(
        stderr,
        "lateserver: skipping malformed message: not UTF-8 text: b\"\\xff\\xfe\"\n\
         lateserver: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn earlyclient_reports_a_malformed_reply() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let server = socket(&context, zmq::REP);
    server.bind(&ports.bind(0)).expect("bind");
    let client = Example::start("earlyclient", &["--connect", &ports.connect(0)]);
    let request = server.recv_string(0).expect("a request within 10 s");
    assert_eq!(request.as_deref(), Ok("Hello"));
    server
        .send_multipart(["World", "and more"], 0)
        .expect("reply");
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Connected to {}, where no server needs to be yet\n\
             Sent \"Hello\": it waits in the queue for a server\n",
            ports.connect(0)
        )
    );
    assert_eq!(
        stderr,
        "earlyclient: skipping malformed message: 2 frames, expected 1\n"
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    // A port of the block each: linger connects to the squatter, and the
    // connection's closing must not stand in the way of the next squatter.
    let ports = PortBlock::new();
    let endpoint = ports.bind(0);
    harness::assert_port_in_use_is_one_line_error("multibind", &["--bind", &endpoint], &endpoint);
    // linger's peer binds after the first round's close, before it prints.
    let endpoint = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error(
        "linger",
        &["--connect", &ports.connect(1), "--bind", &endpoint],
        &endpoint,
    );
    // lateserver says first how long it waits.
    let endpoint = ports.bind(2);
    let context = zmq::Context::new();
    let squatter = socket(&context, zmq::REP);
    squatter.bind(&endpoint).expect("bind");
    let (status, stdout, stderr) =
        Example::start("lateserver", &["--bind", &endpoint, "--delay-ms", "0"]).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "Waiting 0 ms before binding\n");
    assert_eq!(
        stderr,
        format!("lateserver: error: cannot bind to {endpoint}: Address already in use\n")
    );
}

#[test]
fn bad_arguments_are_short_errors() {
    let (status, stdout, stderr) = Example::start("lateserver", &["--delay-ms", "soon"]).finish();
    assert_eq!(status.code(), Some(2), "clap's status for a usage error");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: invalid value 'soon' for '--delay-ms <DELAY_MS>'"),
        "{stderr}"
    );
    let (status, stdout, stderr) =
        Example::start("multibind", &["--bind", "127.0.0.1:5570"]).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            "multibind: error: cannot bind to 127.0.0.1:5570: no transport (tcp://, ipc://, inproc://…)"
        ) && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn ctrl_c_in_lingers_last_round_ends_it_at_once() {
    // In the last round the sender's context waits for ever (linger -1) for a
    // peer that comes 1500 ms later; Ctrl-C must not wait with it. The test
    // sees the third row only when it reads it, which on a very busy machine
    // can be after the last round is over (seen under `cargo make stress`):
    // then it tries again, and one of three tries must catch the round.
    for _ in 0..3 {
        let ports = PortBlock::new();
        let mut linger = Example::start(
            "linger",
            &["--connect", &ports.connect(0), "--bind", &ports.bind(0)],
        );
        let shown = linger.wait_for_output("1500 ms later   0 of 10");
        linger.interrupt();
        let interrupted = Instant::now();
        while !linger.has_exited() {
            assert!(
                interrupted.elapsed() < Duration::from_secs(15),
                "still running 15 s after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let (status, stdout, stderr) = linger.finish();
        assert!(status.success(), "{status}: {stderr}");
        assert_eq!(stderr, "");
        // Three rows, and the fourth never printed.
        match (shown + &stdout).lines().count() {
            4 => return,
            5 => eprintln!("linger: the last round was over before Ctrl-C; again"),
            rows => panic!("{rows} lines: {stdout}"),
        }
    }
    panic!("Ctrl-C never came during the last round in three tries");
}
