//! The mspoller lesson: mspoller reads the ventilator's tasks and the weather server's
//! updates; it runs until Ctrl-C.

use crate::harness;

#[test]
fn reads_both_streams_and_stops_on_ctrl_c() {
    let sections = harness::multi_socket_sections("mspoller");
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("mspoller", sections));
}
