//! The pipeline lesson: taskvent deals 100 tasks to three taskwork workers,
//! tasksink collects the results.

mod common;

#[test]
fn pipeline_spreads_the_batch_over_every_worker() {
    let run = common::run_lesson("pipeline");
    run.assert_clean();
    common::snapshot_settings_with_elapsed().bind(|| {
        insta::assert_snapshot!("pipeline", run.pipeline_sections("taskwork"));
    });
}
