//! The lbpipeline lesson: lbtaskvent hands chapter 1's batch of 100 tasks to
//! three lbtaskwork workers, one task to each worker that asks, and tells each
//! "END" at the end; chapter 1's tasksink collects the results. Every task is
//! done exactly once, and every process ends by itself. Bad input: lbtaskvent
//! reports and drops malformed requests and keeps serving; lbtaskwork reports
//! a malformed task and asks again.

use crate::harness::{self, Example, PortBlock, Run, socket};
use std::time::{Duration, Instant};

/// The batch that seed `seed` draws, in the order it is handed out: the
/// same as chapter 1's taskvent, since both draw with `workbook::workload`.
fn batch(seed: u64) -> Vec<u32> {
    let mut rng = workbook::generator(Some(seed));
    (0..100).map(|_| workbook::workload(&mut rng)).collect()
}

#[test]
fn every_task_is_done_once_by_whichever_worker_asked() {
    let run = harness::run_lesson("lbpipeline");
    run.assert_clean();
    assert_eq!(
        run.outcome.ending,
        workbook::runner::Ending::Finished,
        "every process ended by itself"
    );

    let workers = run.stdout_of_copies("worker");
    assert_eq!(workers.len(), 3);
    let counts: Vec<usize> = workers.iter().map(|out| out.lines().count()).collect();
    assert!(
        counts.iter().all(|&count| count > 0),
        "every worker was there from the start, so every one had tasks: {counts:?}"
    );
    // Every task of the batch done exactly once, whoever did it.
    let mut done: Vec<u32> = workers
        .iter()
        .flat_map(|out| out.lines())
        .map(|line| line.trim_end_matches('.').parse().expect("a workload"))
        .collect();
    done.sort();
    let mut expected = batch(harness::SEED);
    expected.sort();
    assert_eq!(done, expected, "the whole batch, each task once");
    let total: u32 = done.iter().sum();
    assert!(
        run.stdout_of("ventilator")
            .contains(&format!("Total expected cost: {total} msec")),
        "{}",
        run.stdout_of("ventilator")
    );

    // Twenty to a line, as chapter 1's page shows the same batch.
    let merged: String = done
        .chunks(20)
        .map(|row| {
            let row: Vec<String> = row.iter().map(|t| format!("{t}.")).collect();
            row.join(" ") + "\n"
        })
        .collect();
    let mut text = Run::section("sink", "tasksink", run.stdout_of("sink"));
    text.push_str(&Run::section(
        "worker 1..3, lines merged, sorted and wrapped",
        "lbtaskwork",
        &format!("tasks per worker: [COUNT], [COUNT], [COUNT]; 100 in all\n{merged}"),
    ));
    text.push_str(&Run::section(
        "ventilator",
        "lbtaskvent",
        run.stdout_of("ventilator"),
    ));
    harness::snapshot_settings_with_elapsed().bind(|| insta::assert_snapshot!("lbpipeline", text));
}

#[test]
fn lbtaskvent_drops_malformed_requests_and_keeps_serving() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let sink = socket(&context, zmq::PULL);
    sink.bind(&ports.bind(1)).expect("bind");
    let ventilator = Example::start(
        "lbtaskvent",
        &[
            "--bind",
            &ports.bind(0),
            "--sink",
            &ports.connect(1),
            "--seed",
            "7",
        ],
    );
    // A raw DEALER plays the worker: it must write REQ's empty delimiter
    // itself, and here it sometimes does not.
    let worker = socket(&context, zmq::DEALER);
    worker.connect(&ports.connect(0)).expect("connect");
    let malformed: [&[&[u8]]; 5] = [
        &[b"READY"],              // no delimiter
        &[b""],                   // a delimiter and nothing after it
        &[b"", b""],              // an empty request
        &[b"", b"READY", b"too"], // two frames
        &[b"", b"Hello"],         // the wrong word
    ];
    for request in malformed {
        worker.send_multipart(request, 0).expect("send");
    }
    // Then it asks properly, again and again: it gets the whole batch, in
    // order, then "END".
    let mut handed = Vec::new();
    loop {
        worker.send_multipart(["", "READY"], 0).expect("send");
        let reply = worker.recv_multipart(0).expect("an answer within 10 s");
        assert_eq!(reply.len(), 2, "delimiter and answer: {reply:?}");
        assert_eq!(reply[0], b"", "REQ's empty delimiter comes back first");
        let answer = String::from_utf8(reply[1].clone()).expect("text");
        if answer == "END" {
            break;
        }
        handed.push(answer.parse::<u32>().expect("a workload"));
    }
    assert_eq!(handed, batch(7), "seed 7's batch, in order");
    assert_eq!(sink.recv_bytes(0).expect("start of batch"), b"0");

    let (status, stdout, stderr) = ventilator.finish(); // It ends by itself.
    assert!(status.success(), "{status}: {stderr}");
    let total: u32 = handed.iter().sum();
    assert_eq!(
        stdout,
        format!(
            "Waiting for 1 worker to ask for work…\n\
             Sending tasks to workers…\n\
             Total expected cost: {total} msec\n\
             Every worker has been told there is no more work.\n"
        )
    );
    assert_eq!(
        stderr,
        concat!(
            "lbtaskvent: skipping malformed message: no empty delimiter after the routing id in 2 frames\n",
            "lbtaskvent: skipping malformed message: 0 frames, expected 1\n",
            "lbtaskvent: skipping malformed message: \"\" is not READY\n",
            "lbtaskvent: skipping malformed message: 2 frames, expected 1\n",
            "lbtaskvent: skipping malformed message: \"Hello\" is not READY\n",
        )
    );
}

#[test]
fn a_task_for_a_worker_that_left_goes_to_the_next_one() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let sink = socket(&context, zmq::PULL);
    let sink_peers = harness::Handshakes::watch(&context, &sink);
    sink.bind(&ports.bind(1)).expect("bind");
    let ventilator = Example::start(
        "lbtaskvent",
        &[
            "--bind",
            &ports.bind(0),
            "--sink",
            &ports.connect(1),
            "--workers",
            "2",
            "--seed",
            "7",
        ],
    );
    // Its sockets settled: bound, and connected to the sink.
    sink_peers.next("the ventilator");
    // The first worker asks, then leaves: its READY still goes out (linger),
    // then its connection closes. The test waits until the ventilator has
    // closed its end too (its count of open sockets is back where it was),
    // so its ROUTER knows the worker has gone before the first task is sent.
    let before = ventilator.open_sockets();
    let leaver = socket(&context, zmq::DEALER);
    leaver.set_linger(1000).expect("linger");
    leaver.connect(&ports.connect(0)).expect("connect");
    leaver.send_multipart(["", "READY"], 0).expect("send");
    let deadline = Instant::now() + Duration::from_secs(10);
    while ventilator.open_sockets() == before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        ventilator.open_sockets() > before,
        "the worker's connection, within 10 s"
    );
    drop(leaver);
    while ventilator.open_sockets() > before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        ventilator.open_sockets(),
        before,
        "the connection closed, within 10 s"
    );
    // Closed on its side; what remains is the I/O thread telling the socket,
    // a matter of microseconds when the machine is idle. Under `cargo make
    // stress` 100 ms once was not enough (the first task went into the
    // closed pipe), so a margin for a machine that is anything but idle.
    std::thread::sleep(Duration::from_millis(1000));
    // The second worker makes two: the first task is for the one who
    // left, fails with EHOSTUNREACH, and comes to this one instead.
    let worker = socket(&context, zmq::DEALER);
    worker.connect(&ports.connect(0)).expect("connect");
    let mut handed = Vec::new();
    loop {
        worker.send_multipart(["", "READY"], 0).expect("send");
        let reply = worker.recv_multipart(0).expect("an answer within 10 s");
        let answer = String::from_utf8(reply[1].clone()).expect("text");
        if answer == "END" {
            break;
        }
        handed.push(answer.parse::<u32>().expect("a workload"));
    }
    assert_eq!(handed, batch(7), "the whole batch, the first task too");
    let (status, stdout, stderr) = ventilator.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stdout.ends_with("Every worker has been told there is no more work.\n"),
        "the one that left is not waited for: {stdout}"
    );
    assert_eq!(stderr, "lbtaskvent: a worker left before its answer\n");
}

#[test]
fn lbtaskwork_skips_a_malformed_task_and_stops_at_end() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::ROUTER);
    ventilator.bind(&ports.bind(0)).expect("bind");
    let sink = socket(&context, zmq::PULL);
    sink.bind(&ports.bind(1)).expect("bind");
    let worker = Example::start(
        "lbtaskwork",
        &[
            "--ventilator",
            &ports.connect(0),
            "--sink",
            &ports.connect(1),
        ],
    );
    let answers: [&[&[u8]]; 4] = [&[b"many"], &[b"1", b"2"], &[b"5"], &[b"END"]];
    for answer in answers {
        let request = ventilator.recv_multipart(0).expect("READY within 10 s");
        assert_eq!(request[1..], [b"".to_vec(), b"READY".to_vec()]);
        let mut reply = vec![request[0].clone(), Vec::new()];
        reply.extend(answer.iter().map(|frame| frame.to_vec()));
        ventilator.send_multipart(reply, 0).expect("send");
    }
    assert_eq!(sink.recv_bytes(0).expect("one result within 10 s"), b"");
    let (status, stdout, stderr) = worker.finish(); // It ends at "END".
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "5.\n");
    assert_eq!(
        stderr,
        concat!(
            "lbtaskwork: skipping malformed message: \"many\" is not a workload in msec, or END\n",
            "lbtaskwork: skipping malformed message: 2 frames, expected 1\n",
        )
    );
}

#[test]
fn lbtaskvent_in_use_port_is_a_one_line_error() {
    let ports = PortBlock::new();
    let endpoint = ports.bind(0);
    harness::assert_port_in_use_is_one_line_error(
        "lbtaskvent",
        &["--bind", &endpoint, "--sink", &ports.connect(1)],
        &endpoint,
    );
}
