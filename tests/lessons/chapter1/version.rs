//! The version lesson: the libzmq that the zmq crate builds.

use crate::harness;

#[test]
fn reports_the_bundled_libzmq() {
    let run = harness::run_lesson("version");
    run.assert_clean();
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("version", run.sections()));
}
