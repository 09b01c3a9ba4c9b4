//! The mtserver lesson: three hwclients at once, answered by mtserver's five
//! worker threads in parallel.

use crate::harness;

#[test]
fn answers_three_clients_at_once() {
    let run = harness::run_lesson("mtserver");
    run.assert_clean();
    let server = run.stdout_of("server");
    assert_eq!(server.lines().count(), 30, "thirty requests:\n{server}");
    // Each request takes a second of "work": one at a time, the 30 would take
    // at least 30 s whatever the machine. In parallel they take about 10 s; the
    // margin is for a loaded machine (`cargo make stress` once took 25.6 s).
    assert!(
        run.elapsed < std::time::Duration::from_secs(29),
        "the clients were served in parallel: {:?}",
        run.elapsed
    );
    // The three clients print the same lines: show them once.
    let clients = run.stdout_of_copies("client");
    assert_eq!(clients.len(), 3);
    assert!(clients.iter().all(|out| *out == clients[0]), "{clients:#?}");
    let mut text = harness::Run::section("server", "mtserver", server);
    text.push_str(&harness::Run::section(
        "client 1..3, each printed the same",
        "hwclient",
        clients[0],
    ));
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("mtserver", text));
}
