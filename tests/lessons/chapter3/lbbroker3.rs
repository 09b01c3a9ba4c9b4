//! The lbbroker3 lesson: the load-balancing broker in reactor style (workbook::Reactor). The same
//! checks as lbbroker's: every request answered once, bad envelopes on
//! either ROUTER reported and dropped, Ctrl-C.

use super::lbbroker::{bad_envelopes_are_reported_and_dropped, broker_sections};
use crate::harness::{self, PortBlock};

#[test]
fn ten_clients_served_by_three_workers() {
    let run = harness::run_lesson("lbbroker3");
    run.assert_clean();
    let sections = broker_sections(&run, "lbbroker3");
    let mut settings = harness::snapshot_settings();
    settings.add_filter(
        r"Requests per worker: \d+, \d+, \d+",
        "Requests per worker: [SPREAD]",
    );
    settings.bind(|| insta::assert_snapshot!("lbbroker3", sections));
}

#[test]
fn bad_envelopes_on_either_router_are_reported_and_dropped() {
    // `unwrap` finds what is wrong with each envelope.
    bad_envelopes_are_reported_and_dropped(
        "lbbroker3",
        b"\x01",
        &[
            r#"skipping malformed message: on the backend, no empty delimiter after the routing id in 2 frames: ["worker", "\x01"]"#,
            r#"skipping malformed message: on the backend, in the reply's envelope, an empty routing id: ["worker", "", "", "", "OK"]"#,
            r#"skipping malformed message: on the backend, in the reply's envelope, an empty message, no routing id: ["worker", ""]"#,
            r#"skipping malformed message: on the frontend, no empty delimiter after the routing id in 2 frames: ["bad-client", "HELLO"]"#,
            r#"skipping malformed message: on the frontend, 0 frames after the envelope, not 1: ["bad-client", ""]"#,
            r#"skipping malformed message: on the frontend, 2 frames after the envelope, not 1: ["bad-client", "", "HEL", "LO"]"#,
            r#"skipping malformed message: a reply for a client that is not connected (EHOSTUNREACH): ["ghost", "", "OK"]"#,
        ],
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "lbbroker3",
        &["--backend", &ports.bind(1)],
        &ports.bind(1),
    );
}
