//! The identity lesson: a ROUTER socket shows, frame by frame, a request from
//! an anonymous REQ socket (a routing id libzmq made up: five bytes, the first
//! zero) and one from a REQ socket whose routing id is "PEER2".

use crate::harness;

#[test]
fn router_shows_a_generated_id_then_the_peers_own() {
    let run = harness::run_lesson("identity");
    run.assert_clean();
    let out = run.stdout_of("identity");
    let dashes = "-".repeat(40);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "two messages of three frames:\n{out}");
    // The anonymous peer: ROUTER made up a 5-byte routing id, a zero byte
    // then a number, shown in hex since it is not text.
    assert_eq!(lines[0], dashes);
    let generated = lines[1].strip_prefix("[005] 00").expect("a generated id");
    assert!(
        generated.len() == 8 && generated.chars().all(|c| c.is_ascii_hexdigit()),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2..4],
        ["[000] ", "[039] ROUTER uses a generated 5 byte identity"]
    );
    // The named peer: its own routing id, as text.
    assert_eq!(
        lines[4..],
        [
            dashes.as_str(),
            "[005] PEER2",
            "[000] ",
            "[040] ROUTER socket uses REQ's socket identity"
        ]
    );
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"\[005\] 00[0-9A-F]{8}", "[005] 00[GENERATED]");
    settings.bind(|| insta::assert_snapshot!("identity", run.sections()));
}
