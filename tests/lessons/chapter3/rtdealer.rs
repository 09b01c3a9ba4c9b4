//! The rtdealer lesson: rtreq's broker, unchanged, with DEALER workers that
//! send and read the empty delimiter themselves. The broker sees exactly
//! what it saw from REQ workers; worker 0000 sees the delimiter in front of
//! its workload. The checks and placeholders are rtreq's.

use crate::harness;

#[test]
fn ten_dealer_workers_share_the_work_then_are_fired() {
    let run = harness::run_lesson("rtdealer");
    run.assert_clean();
    super::rtreq::check_load_balancing(&run, "rtdealer", &["[000] ", "[011] Work harder"]);
}

#[test]
fn the_broker_drops_what_it_cannot_route_and_keeps_serving() {
    super::rtreq::check_bad_requests("rtdealer");
}

#[test]
fn ctrl_c_stops_the_broker_and_every_worker() {
    super::rtreq::check_ctrl_c("rtdealer");
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = harness::PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "rtdealer",
        &["--bind", &ports.bind(0), "--connect", &ports.connect(0)],
        &ports.bind(0),
    );
}
