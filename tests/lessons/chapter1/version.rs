//! The version lesson: the libzmq that the zmq crate builds.

mod common;

#[test]
fn version_reports_the_bundled_libzmq() {
    let run = common::run_lesson("version");
    run.assert_clean();
    common::snapshot_settings().bind(|| insta::assert_snapshot!("version", run.sections()));
}
