//! The event-loop case study, lessons async-thread and async-fd: an async
//! client (a single-threaded tokio runtime) asks chapter 1's hwserver three
//! times while a ticker task counts, through a companion thread that owns the
//! socket (asyncthread) or through the socket's ZMQ_FD (asyncfd). The
//! mistakes each way guards against, run for real: a blocking call in a task
//! stops the ticker; reading one message per wake-up stalls with replies
//! queued; sharing a socket between threads does not compile. Bad replies,
//! bad endpoints.

use std::time::Duration;

use crate::harness::{self, Example, PortBlock, Run, socket};

/// The requests each lesson makes.
const REQUESTS: usize = 3;

/// The ticks counted during each wait, one per reply line, in order.
fn ticks_per_reply(client: &str) -> Vec<u64> {
    client
        .lines()
        .filter_map(|line| line.split_once("(the ticker ticked "))
        .map(|(_, rest)| {
            rest.strip_suffix(" times meanwhile)")
                .and_then(|count| count.parse().ok())
                .unwrap_or_else(|| panic!("not a tick count: {rest:?}"))
        })
        .collect()
}

/// Snapshot settings for a lesson: a tick count of one or more varies with
/// the machine (about ten for hwserver's second of work), and is shown as a
/// placeholder; the test has checked each. A count of 0 stays as it is.
fn settings_with_ticks() -> insta::Settings {
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"ticked [1-9]\d* times", "ticked [TICKS] times");
    settings
}

/// The lesson's run: clean, three requests served, the ticker ticking
/// during every wait.
fn check_lesson(run: &Run) {
    run.assert_clean();
    assert_eq!(
        run.stdout_of("server"),
        "Received Hello\n".repeat(REQUESTS),
        "hwserver served every request"
    );
    let ticks = ticks_per_reply(run.stdout_of("client"));
    assert_eq!(ticks.len(), REQUESTS, "a reply per request");
    // hwserver works a second per request and the ticker ticks every 100 ms:
    // had the wait blocked the runtime's thread, no tick could have counted.
    assert!(
        ticks.iter().all(|&count| count >= 1),
        "the ticker ticked during every wait: {ticks:?}"
    );
    eprintln!("ticks during each wait: {ticks:?}");
}

#[test]
fn async_thread_gets_every_reply_while_the_ticker_ticks() {
    let run = harness::run_lesson("async-thread");
    check_lesson(&run);
    settings_with_ticks().bind(|| insta::assert_snapshot!("async-thread", run.sections()));
}

#[test]
fn async_fd_gets_every_reply_while_the_ticker_ticks() {
    let run = harness::run_lesson("async-fd");
    check_lesson(&run);
    assert!(run.stdout_of("client").starts_with("Sent 3 requests\n"));
    settings_with_ticks().bind(|| insta::assert_snapshot!("async-fd", run.sections()));
}

/// A server of the test's own on `endpoint`: answers each request with the
/// next of `replies`, each after `work` (REP, or ROUTER when `router`: then
/// every reply goes back with the request's routing frame in front). Returns
/// the requests it got.
fn server(
    endpoint: String,
    router: bool,
    replies: Vec<Vec<&'static [u8]>>,
    work: Duration,
) -> std::thread::JoinHandle<Vec<Vec<Vec<u8>>>> {
    // The examples first (a build, the first time): the server's waits for
    // a request are bounded, and must not run out during it.
    harness::examples_dir();
    let context = zmq::Context::new();
    let server = socket(&context, if router { zmq::ROUTER } else { zmq::REP });
    server.bind(&endpoint).expect("bind");
    std::thread::spawn(move || {
        let mut requests = Vec::new();
        for reply in replies {
            let mut request = server.recv_multipart(0).expect("a request within 10 s");
            std::thread::sleep(work);
            let mut frames: Vec<Vec<u8>> = reply.iter().map(|frame| frame.to_vec()).collect();
            if router {
                frames.insert(0, request.remove(0)); // the routing frame
            }
            server.send_multipart(frames, 0).expect("send");
            requests.push(request);
        }
        requests
    })
}

const WORLD: &[u8] = b"World";

#[test]
fn a_blocking_call_in_a_task_stops_the_ticker_and_the_companion_does_not() {
    for blocking in [true, false] {
        let ports = PortBlock::new();
        // 300 ms of work per request: three ticks' worth.
        let served = server(
            ports.bind(0),
            false,
            vec![vec![WORLD]; 2],
            Duration::from_millis(300),
        );
        let connect = ports.connect(0);
        let mut args = vec!["--connect", connect.as_str(), "--requests", "2"];
        if blocking {
            args.push("--blocking");
        }
        let (status, stdout, stderr) = Example::start("asyncthread", &args).finish();
        assert!(status.success(), "{status}: {stderr}");
        assert_eq!(stderr, "");
        assert_eq!(served.join().expect("server").len(), 2);
        let ticks = ticks_per_reply(&stdout);
        assert_eq!(ticks.len(), 2, "{stdout}");
        if blocking {
            // Nothing else ran while the task waited: not one tick.
            assert_eq!(ticks, [0, 0], "{stdout}");
        } else {
            assert!(ticks.iter().all(|&count| count >= 1), "{stdout}");
        }
        assert_eq!(
            stdout,
            format!(
                "Sending Hello 1…\n\
                 Received World 1 (the ticker ticked {} times meanwhile)\n\
                 Sending Hello 2…\n\
                 Received World 2 (the ticker ticked {} times meanwhile)\n",
                ticks[0], ticks[1]
            )
        );
        eprintln!("blocking: {blocking}, ticks during each wait: {ticks:?}");
    }
}

#[test]
fn draining_reads_a_burst_of_replies() {
    // The server answers at once: the replies come close together, and one
    // wake-up may find several of them queued.
    let ports = PortBlock::new();
    let served = server(
        ports.bind(0),
        false,
        vec![vec![WORLD]; REQUESTS],
        Duration::ZERO,
    );
    let (status, stdout, stderr) =
        Example::start("asyncfd", &["--connect", &ports.connect(0)]).finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    assert_eq!(served.join().expect("server").len(), REQUESTS);
    assert_eq!(ticks_per_reply(&stdout).len(), REQUESTS, "{stdout}");
}

#[test]
fn one_read_per_wakeup_stalls_with_replies_queued() {
    let ports = PortBlock::new();
    let served = server(
        ports.bind(0),
        false,
        vec![vec![WORLD]; REQUESTS],
        Duration::ZERO,
    );
    let mut client = Example::start(
        "asyncfd",
        &["--connect", &ports.connect(0), "--one-per-wakeup"],
    );
    // Every reply has been sent...
    assert_eq!(served.join().expect("server").len(), REQUESTS);
    client.wait_for_output("Received World 1");
    // ...and a whole second later the client has still not read them all: it
    // waits for a signal that will not come. (Ctrl-C ends the wait.)
    std::thread::sleep(Duration::from_secs(1));
    assert!(!client.has_exited(), "it read every reply after all");
    client.interrupt();
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let last = stdout.lines().last().expect("a line");
    let (read, waiting): (usize, usize) = last
        .strip_prefix("Stopped after ")
        .and_then(|rest| rest.split_once(" of 3 replies, with "))
        .and_then(|(read, rest)| {
            let waiting = rest.strip_suffix(" more waiting unread")?;
            Some((read.parse().ok()?, waiting.parse().ok()?))
        })
        .unwrap_or_else(|| panic!("no summary: {stdout}"));
    assert!(read < REQUESTS, "{stdout}");
    assert_eq!(
        read + waiting,
        REQUESTS,
        "the rest sat in the queue: {stdout}"
    );
    eprintln!("one read per wake-up: read {read}, {waiting} left queued");
}

#[test]
fn asyncthread_skips_malformed_replies() {
    let ports = PortBlock::new();
    let served = server(
        ports.bind(0),
        false,
        vec![
            vec![b"Earth"],
            vec![b"\xff"],
            vec![b"Wor", b"ld"],
            vec![WORLD],
        ],
        Duration::ZERO,
    );
    let (status, stdout, stderr) = Example::start(
        "asyncthread",
        &["--connect", &ports.connect(0), "--requests", "4"],
    )
    .finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(served.join().expect("server").len(), 4);
    assert_eq!(
        stderr,
        "asyncthread: skipping malformed message: \"Earth\", expected \"World\"\n\
         asyncthread: skipping malformed message: not UTF-8 text: b\"\\xff\"\n\
         asyncthread: skipping malformed message: 2 frames, expected 1\n"
    );
    assert_eq!(ticks_per_reply(&stdout).len(), 1, "{stdout}");
    assert!(stdout.contains("Received World 4 "), "{stdout}");
}

#[test]
fn asyncfd_skips_malformed_replies() {
    // A ROUTER plays the server, to send what a REP socket never would: a
    // reply without the empty delimiter frame.
    let ports = PortBlock::new();
    let served = server(
        ports.bind(0),
        true,
        vec![
            vec![b"", b"Earth"],
            vec![WORLD],
            vec![b"", b"\xff"],
            vec![b"", WORLD],
        ],
        Duration::ZERO,
    );
    let (status, stdout, stderr) = Example::start(
        "asyncfd",
        &["--connect", &ports.connect(0), "--requests", "4"],
    )
    .finish();
    assert!(status.success(), "{status}: {stderr}");
    // Every request came as a REP server expects it: delimiter, then Hello.
    for request in served.join().expect("server") {
        assert_eq!(request, [b"".to_vec(), b"Hello".to_vec()]);
    }
    assert_eq!(
        stderr,
        "asyncfd: skipping malformed message: \"Earth\", expected \"World\"\n\
         asyncfd: skipping malformed message: no empty delimiter frame\n\
         asyncfd: skipping malformed message: not UTF-8 text: b\"\\xff\"\n"
    );
    assert_eq!(ticks_per_reply(&stdout).len(), 1, "{stdout}");
    assert!(stdout.contains("Received World 4 "), "{stdout}");
}

#[test]
fn a_bad_endpoint_is_a_one_line_error() {
    for example in ["asyncthread", "asyncfd"] {
        let (status, stdout, stderr) =
            Example::start(example, &["--connect", "tcp://localhost"]).finish();
        assert_eq!(status.code(), Some(1), "{example}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.starts_with(&format!(
                "{example}: error: cannot connect to tcp://localhost: no port in tcp://localhost"
            )) && stderr.lines().count() == 1,
            "{stderr}"
        );
    }
}

/// The companion thread owns the socket because nothing else may: the
/// compiler accepts a socket moved to another thread, and refuses one shared
/// by two. Both files are compiled (checked only) against the zmq crate this
/// test was built with.
#[test]
fn a_socket_moves_to_a_thread_but_is_not_shared_by_two() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let deps = std::env::current_exe()
        .expect("test binary path")
        .parent()
        .expect("target/<profile>/deps")
        .to_path_buf();
    let out = tempfile::tempdir().expect("a temporary folder");
    let check = |file: &str, zmq: &std::path::Path| {
        let output = std::process::Command::new("rustc")
            .current_dir(root)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--emit",
                "metadata",
            ])
            .arg("--out-dir")
            .arg(out.path())
            .arg(format!("-Ldependency={}", deps.display()))
            .arg(format!("--extern=zmq={}", zmq.display()))
            .arg(root.join("tests/refused").join(file))
            .output()
            .expect("rustc runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // The zmq crate as built for this test: the one the accepted file
    // compiles against (an older build may linger beside it).
    let mut candidates: Vec<_> = std::fs::read_dir(&deps)
        .expect("deps")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path.file_name().expect("a name").to_string_lossy();
            name.starts_with("libzmq-") && name.ends_with(".rlib")
        })
        .collect();
    candidates.sort();
    let zmq = candidates
        .iter()
        .find(|zmq| check("move_socket.rs", zmq).0)
        .unwrap_or_else(|| panic!("move_socket.rs compiles against none of {candidates:?}"));
    let (compiled, errors) = check("share_socket.rs", zmq);
    assert!(!compiled, "share_socket.rs compiled");
    assert!(errors.contains("error[E0277]"), "{errors}");
    assert!(
        errors.contains("cannot be shared between threads safely"),
        "{errors}"
    );
    assert!(
        errors.contains("the trait `Sync` is not implemented"),
        "{errors}"
    );
    assert!(errors.contains("Arc<Socket>"), "{errors}");
}
