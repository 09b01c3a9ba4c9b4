//! The mtrelay lesson: three threads of one process signal one another in
//! turn over PAIR sockets, and the last says so.

use crate::harness::{self, Example};

const RELAY: &str = "Step 1 ready, signaling step 2\n\
                     Step 2 ready, signaling step 3\n\
                     Test successful!\n";

#[test]
fn the_signal_goes_through_three_steps() {
    let run = harness::run_lesson("mtrelay");
    run.assert_clean();
    // Each step prints only once it can go on, so the order is fixed: the
    // relay, not the scheduler, decides it.
    assert_eq!(run.stdout_of("relay"), RELAY);
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("mtrelay", run.sections()));
}

#[test]
fn the_relay_has_no_race() {
    // Bound before the next thread starts, every endpoint is there when that
    // thread connects: twenty runs in a row give the same three lines.
    for attempt in 1..=20 {
        let (status, stdout, stderr) = Example::start("mtrelay", &[]).finish();
        assert!(status.success(), "run {attempt}: {status}: {stderr}");
        assert_eq!(stderr, "", "run {attempt}");
        assert_eq!(stdout, RELAY, "run {attempt}");
    }
}
