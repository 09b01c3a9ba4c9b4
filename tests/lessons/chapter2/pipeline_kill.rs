//! The pipeline-kill lesson: like the pipeline, but tasksink2 broadcasts KILL
//! when the batch is done and every taskwork2 exits by itself. Bad input:
//! taskwork2 reports a control message other than KILL and keeps working.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn every_worker_exits_on_kill() {
    // The workers end this lesson (see the catalogue): the run only finishes
    // if each of them exits by itself, with status 0, on the sink's KILL.
    let run = harness::run_lesson("pipeline-kill");
    run.assert_clean();
    assert_eq!(
        run.outcome.ending,
        workbook::runner::Ending::Finished,
        "the lesson ended by itself, not by Ctrl-C"
    );
    harness::snapshot_settings_with_elapsed().bind(|| {
        insta::assert_snapshot!("pipeline-kill", run.pipeline_sections("taskwork2"));
    });
}

#[test]
fn taskwork2_ignores_a_control_message_other_than_kill() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let ventilator = socket(&context, zmq::PUSH);
    ventilator.bind(&ports.bind(0)).expect("bind");
    let sink = socket(&context, zmq::PULL);
    sink.bind(&ports.bind(1)).expect("bind");
    // XPUB rather than PUB: it tells us when the worker has subscribed, so no
    // control message is lost to a slow joiner.
    let controller = socket(&context, zmq::XPUB);
    controller.bind(&ports.bind(2)).expect("bind");
    let worker = Example::start(
        "taskwork2",
        &[
            "--ventilator",
            &ports.connect(0),
            "--sink",
            &ports.connect(1),
            "--controller",
            &ports.connect(2),
        ],
    );
    assert_eq!(
        controller.recv_bytes(0).expect("the worker subscribes"),
        b"\x01"
    );
    controller.send("STOP", 0).expect("send");
    // Still working after STOP:
    ventilator.send("1", 0).expect("send");
    assert_eq!(sink.recv_bytes(0).expect("a result within 10 s"), b"");
    controller.send("KILL", 0).expect("send");
    let (status, stdout, stderr) = worker.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stdout, "1.\n");
    assert_eq!(
        stderr,
        "taskwork2: skipping malformed message: \"STOP\", expected \"KILL\"\n"
    );
}
