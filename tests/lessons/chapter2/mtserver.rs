//! The mtserver lesson: three hwclients at once, answered by mtserver's five
//! worker threads in parallel.

mod common;

use std::time::Instant;

#[test]
fn mtserver_answers_three_clients_at_once() {
    let started = Instant::now();
    let run = common::run_lesson("mtserver");
    run.assert_clean();
    let server = run.stdout_of("server");
    assert_eq!(server.lines().count(), 30, "thirty requests:\n{server}");
    // Served one at a time, 30 requests of 1 s would take 30 s.
    assert!(
        started.elapsed().as_secs() < 25,
        "the clients were served in parallel"
    );
    // The three clients print the same lines: show them once.
    let clients = run.stdout_of_copies("client");
    assert_eq!(clients.len(), 3);
    assert!(clients.iter().all(|out| *out == clients[0]), "{clients:#?}");
    let mut text = common::Run::section("server", "mtserver", server);
    text.push_str(&common::Run::section(
        "client 1..3, each printed the same",
        "hwclient",
        clients[0],
    ));
    common::snapshot_settings().bind(|| insta::assert_snapshot!("mtserver", text));
}
