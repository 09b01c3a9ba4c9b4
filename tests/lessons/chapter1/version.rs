//! The version lesson: the libzmq that the zmq crate builds.

use crate::harness::{self, Example};

#[test]
fn reports_the_bundled_libzmq() {
    let run = harness::run_lesson("version");
    run.assert_clean();
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("version", run.sections()));
}

#[test]
fn takes_help_and_refuses_what_it_does_not_know() {
    let (status, stdout, stderr) = Example::start("version", &["--help"]).finish();
    assert!(status.success(), "{stderr}");
    assert!(stdout.starts_with("Version reporting"), "{stdout}");
    assert!(stdout.contains("Usage: version"), "{stdout}");
    let (status, stdout, stderr) = Example::start("version", &["--bogus"]).finish();
    assert_eq!(status.code(), Some(2), "clap's status for a usage error");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: unexpected argument '--bogus' found"),
        "{stderr}"
    );
}
