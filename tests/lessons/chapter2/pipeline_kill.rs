//! The pipeline-kill lesson: like the pipeline, but tasksink2 broadcasts KILL
//! when the batch is done and every taskwork2 exits by itself.

mod common;

#[test]
fn every_worker_exits_on_kill() {
    // The workers end this lesson (see the catalogue): the run only finishes
    // if each of them exits by itself, with status 0, on the sink's KILL.
    let run = common::run_lesson("pipeline-kill");
    run.assert_clean();
    assert_eq!(
        run.outcome.ending,
        workbook::runner::Ending::Finished,
        "the lesson ended by itself, not by Ctrl-C"
    );
    common::snapshot_settings_with_elapsed().bind(|| {
        insta::assert_snapshot!("pipeline-kill", run.pipeline_sections("taskwork2"));
    });
}
