//! The msreader lesson: msreader reads the ventilator's tasks and the weather server's
//! updates; it runs until Ctrl-C.

use crate::harness;

#[test]
fn reads_both_streams_and_stops_on_ctrl_c() {
    let sections = harness::multi_socket_sections("msreader");
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("msreader", sections));
}
