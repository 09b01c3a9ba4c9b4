//! The rtreq lesson: a ROUTER broker hands out "Work harder" to ten REQ
//! workers for five seconds, least recently used first, then "Fired!" to
//! each as it asks; each says how many tasks it did. How the work falls
//! depends on the workers' random times and the threads' timing, so the test
//! checks what must hold (every worker fired and busy, the counts add up to
//! what the broker handed out) and the snapshot shows the counts as
//! placeholders. Bad input: requests the broker cannot route, or from peers
//! that are not its workers, are reported and dropped.

use std::time::Duration;

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn ten_req_workers_share_the_work_then_are_fired() {
    let run = harness::run_lesson("rtreq");
    run.assert_clean();
    check_load_balancing(&run, "rtreq", &["[011] Work harder"]);
}

/// What rtreq and rtdealer share: the broker's first exchange, worker 0000's
/// view of its first workload (`worker_view`, its frames), then the ten
/// workers' counts and the broker's total.
pub(super) fn check_load_balancing(run: &harness::Run, lesson: &str, worker_view: &[&str]) {
    // Five seconds of work, then the firing: not less, whatever the machine.
    assert!(
        run.elapsed >= Duration::from_millis(4900),
        "the broker hands out work for five seconds: {:?}",
        run.elapsed
    );
    let out = run.stdout_of(lesson);
    let lines: Vec<&str> = out.lines().collect();
    let dashes = "-".repeat(40);
    // The broker's first exchange: a worker's envelope (its routing id, the
    // empty delimiter), its request, and the same envelope on the reply.
    assert_eq!(lines[0], "The broker received:", "{out}");
    let id_line = lines[2];
    let id = id_line
        .strip_prefix("[011] ")
        .expect("an 11-byte routing id");
    let (pid, worker) = id.split_once('-').expect("PROCESS-WORKER");
    assert!(
        pid.len() == 6 && pid.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    assert!(
        u16::from_str_radix(worker, 16).is_ok_and(|n| n < 10) && worker.len() == 4,
        "{id}"
    );
    let exchange = [
        "The broker received:",
        &dashes,
        id_line,
        "[000] ",
        "[007] Hi Boss",
        "and replied:",
        &dashes,
        id_line,
        "[000] ",
        "[011] Work harder",
        "Worker 0000 received:",
        &dashes,
    ];
    let view = exchange.len() + worker_view.len();
    assert_eq!(lines[..exchange.len()], exchange, "{out}");
    assert_eq!(lines[exchange.len()..view], *worker_view, "{out}");

    // Ten workers, each fired once, each with some work done; the counts
    // add up to what the broker handed out.
    let counts: Vec<u32> = lines[view..view + 10]
        .iter()
        .map(|line| {
            line.strip_prefix("Completed: ")
                .and_then(|rest| rest.strip_suffix(" tasks"))
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a worker's count: {line}\n{out}"))
        })
        .collect();
    assert!(
        counts.iter().all(|&n| n > 0),
        "every worker worked: {counts:?}"
    );
    let total: u32 = counts.iter().sum();
    assert_eq!(
        lines[view + 10..],
        [format!("Handed out {total} tasks, then fired 10 workers.")],
        "the broker's total is the workers' sum, {counts:?}\n{out}"
    );

    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"\[011\] [0-9A-F]{6}-[0-9A-F]{4}", "[011] [PID]-[WORKER]");
    settings.add_filter(r"Completed: \d+ tasks", "Completed: [COUNT] tasks");
    settings.add_filter(r"Handed out \d+ tasks", "Handed out [TOTAL] tasks");
    settings.bind(|| insta::assert_snapshot!(lesson, run.sections()));
}

#[test]
fn the_broker_drops_what_it_cannot_route_and_keeps_serving() {
    check_bad_requests("rtreq");
}

/// Start `example`'s broker for eight seconds and send its ROUTER, from a
/// socket of the test's own, a request without the empty delimiter and one
/// from a peer that is not one of its workers: each is reported in one line
/// and dropped, and the ten workers still get their work and are fired.
pub(super) fn check_bad_requests(example: &str) {
    let ports = PortBlock::new();
    let (bind, connect) = (ports.bind(0), ports.connect(0));
    // Eight seconds, not the guide's five: under `cargo make stress` the
    // stranger's two messages went unread in five seconds, three times in
    // some twenty runs.
    let broker = Example::start(
        example,
        &[
            "--bind",
            &bind,
            "--connect",
            &connect,
            "--seconds",
            "8",
            "--seed",
            "42",
        ],
    );
    let context = zmq::Context::new();
    let stranger = socket(&context, zmq::DEALER);
    stranger.set_identity(b"STRANGER").expect("identity");
    // Watched, not waited for: the broker reads from the stranger while it
    // hands out work, so the messages go out at once; if they are not read,
    // whether the connection was ever made says where to look.
    let handshakes = harness::Handshakes::watch(&context, &stranger);
    stranger.connect(&connect).expect("connect");
    stranger.send("Hi Boss", 0).expect("send"); // No delimiter.
    stranger.send_multipart(["", "Hi Boss"], 0).expect("send"); // Not a worker.
    let (status, stdout, stderr) = broker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stderr,
        format!(
            "{example}: skipping malformed message: no empty delimiter after the routing id in 2 frames\n\
             {example}: skipping malformed message: a request from STRANGER, not one of our workers\n"
        ),
        "the stranger's connection completed {} handshake(s) with the broker",
        handshakes.completed()
    );
    assert_eq!(stdout.matches("Completed: ").count(), 10, "{stdout}");
    assert!(stdout.ends_with("then fired 10 workers.\n"), "{stdout}");
    // Nothing came back to the stranger.
    assert_eq!(stranger.recv_bytes(zmq::DONTWAIT), Err(zmq::Error::EAGAIN));
}

#[test]
fn ctrl_c_stops_the_broker_and_every_worker() {
    check_ctrl_c("rtreq");
}

/// Ctrl-C in the middle of the work: every thread ends, status 0, nothing on
/// stderr, and no worker says it completed (none was fired).
pub(super) fn check_ctrl_c(example: &str) {
    let ports = PortBlock::new();
    let mut broker = Example::start(
        example,
        &[
            "--bind",
            &ports.bind(0),
            "--connect",
            &ports.connect(0),
            "--seconds",
            "60",
        ],
    );
    broker.wait_for_output("Worker 0000 received:");
    broker.interrupt();
    let interrupted = std::time::Instant::now();
    let (status, stdout, stderr) = broker.finish();
    // A bound for a hang, not a measure of speed (a busy machine is slow).
    assert!(
        interrupted.elapsed() < Duration::from_secs(15),
        "it stops within 15 s"
    );
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    assert!(!stdout.contains("Completed"), "{stdout}");
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "rtreq",
        &["--bind", &ports.bind(0), "--connect", &ports.connect(0)],
        &ports.bind(0),
    );
}
