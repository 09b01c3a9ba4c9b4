//! The msreader lesson: msreader reads the ventilator's tasks and the weather server's
//! updates; it runs until Ctrl-C.

mod common;

#[test]
fn msreader_reads_both_streams_and_stops_on_ctrl_c() {
    let sections = common::multi_socket_sections("msreader");
    common::snapshot_settings().bind(|| insta::assert_snapshot!("msreader", sections));
}
