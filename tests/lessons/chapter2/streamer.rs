//! The streamer lesson: the pipeline with a streamer (PULL/PUSH behind the
//! built-in proxy) between taskvent and three taskwork workers. The streamer
//! connects to the ventilator only once its three workers are connected, so
//! the ventilator's one peer is a streamer ready to deal evenly: 33, 33, 34
//! tasks. Bad input: the streamer passes any message through whole; a bad
//! endpoint and a port in use are one-line errors.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn the_streamer_deals_the_batch_to_every_worker() {
    let run = harness::run_lesson("streamer");
    run.assert_clean();
    assert_eq!(
        run.stdout_of("streamer"),
        "Waiting for 3 workers to connect…\n"
    );
    assert!(
        run.stdout_of("ventilator")
            .starts_with("Waiting for 1 worker to connect…\nSending tasks to workers…\n"),
        "the ventilator's one peer is the streamer"
    );
    let progress = run.stdout_of("sink").lines().next().unwrap_or_default();
    assert_eq!(progress.matches([':', '.']).count(), 100, "every result");
    // The shared pipeline sections check the split (33, 33, 34) and that the
    // workers did the whole batch; the streamer's section goes before the
    // ventilator's, as in the catalogue.
    let pipeline = run.pipeline_sections("taskwork");
    let at = pipeline
        .find("── ventilator (taskvent) ──")
        .expect("the ventilator's section");
    let streamer = harness::Run::section("streamer", "streamer", run.stdout_of("streamer"));
    let text = format!("{}{streamer}{}", &pipeline[..at], &pipeline[at..]);
    harness::snapshot_settings_with_elapsed().bind(|| insta::assert_snapshot!("streamer", text));
}

#[test]
fn the_streamer_passes_any_message_through_whole() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::PUSH);
    ventilator.bind(&ports.bind(0)).expect("bind");
    let mut streamer = Example::start(
        "streamer",
        &[
            "--frontend",
            &ports.connect(0),
            "--backend",
            &ports.bind(1),
            "--workers",
            "1",
        ],
    );
    let worker = socket(&context, zmq::PULL);
    worker.connect(&ports.connect(1)).expect("connect");
    let messages: [&[&[u8]]; 3] = [&[b"\xff\xfe"], &[b"two", b"frames"], &[b"42"]];
    for message in messages {
        // The send waits (10 s) until the streamer, once the worker is there,
        // connects to the ventilator.
        ventilator.send_multipart(message, 0).expect("send");
        let got = worker.recv_multipart(0).expect("a message within 10 s");
        assert_eq!(got, message, "the message passes whole");
    }
    streamer.interrupt();
    let (status, stdout, stderr) = streamer.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "Waiting for 1 worker to connect…\n");
    assert_eq!(stderr, "");
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let backend = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error(
        "streamer",
        &["--frontend", &ports.connect(0), "--backend", &backend],
        &backend,
    );
}

#[test]
fn a_bad_endpoint_is_a_one_line_error() {
    let ports = PortBlock::new();
    let args = ["--frontend", "localhost:5557", "--backend", &ports.bind(1)];
    let (status, stdout, stderr) = Example::start("streamer", &args).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("streamer: error: cannot connect to localhost:5557: no transport"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
