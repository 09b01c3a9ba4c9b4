//! The pipeline lesson: taskvent deals 100 tasks to three taskwork workers,
//! tasksink collects the results. Bad input: taskwork skips a workload that is
//! not a number; taskvent turns a bad argument into a short error.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn spreads_the_batch_over_every_worker() {
    let run = harness::run_lesson("pipeline");
    run.assert_clean();
    harness::snapshot_settings_with_elapsed().bind(|| {
        insta::assert_snapshot!("pipeline", run.pipeline_sections("taskwork"));
    });
}

#[test]
fn taskwork_skips_a_workload_that_is_not_a_number() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::PUSH);
    ventilator.bind(&ports.bind(0)).expect("bind");
    let sink = socket(&context, zmq::PULL);
    sink.bind(&ports.bind(1)).expect("bind");
    let mut worker = Example::start(
        "taskwork",
        &[
            "--ventilator",
            &ports.connect(0),
            "--sink",
            &ports.connect(1),
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
