//! The hwm lesson: over inproc, a PUB socket drops and a PUSH socket refuses
//! exactly what does not fit in SNDHWM + RCVHWM messages; over tcp, the
//! kernel's buffers hold more, so those figures vary (hidden in the snapshot,
//! checked for what cannot vary).

use crate::harness::{self, Example, PortBlock};

/// Everything before the tcp:// round: exact, whatever the machine.
const INPROC: &str = "\
100000 messages sent each time, to a peer that reads nothing until they are sent.
PUB to SUB over inproc (PUB drops what does not fit):
  SNDHWM 1000 (the default), RCVHWM 1000 (the default): 2000 arrived (1 to 2000), 98000 dropped
  SNDHWM 100, RCVHWM 100: 200 arrived (1 to 200), 99800 dropped
  SNDHWM 10, RCVHWM 10: 20 arrived (1 to 20), 99980 dropped
  SNDHWM 10, RCVHWM 0 (no limit): 100000 arrived (1 to 100000), 0 dropped
PUSH to PULL over inproc, with DONTWAIT (PUSH does not drop, it refuses):
  SNDHWM 1000 (the default), RCVHWM 1000 (the default): 2000 sent, then EAGAIN
  SNDHWM 100, RCVHWM 100: 200 sent, then EAGAIN
  SNDHWM 10, RCVHWM 10: 20 sent, then EAGAIN
  SNDHWM 10, RCVHWM 0 (no limit): all 100000 sent
  SNDHWM 10, RCVHWM 10, messages of 3 frames: 20 sent, then EAGAIN
A blocking send to the full PUSH socket (SNDHWM 10, RCVHWM 10):
  with 20 queued, it waits: gave up after SNDTIMEO (100 ms)
  room again only once PULL has read 10 of 20: then 10 more sent
Over tcp, default HWMs, messages of 1000 bytes (varies from run to run):
";

/// The two figures of a tcp:// line, `prefix A middle B suffix`.
fn figures(line: &str, prefix: &str, middle: &str, suffix: &str) -> (u32, u32) {
    let parse = |text: &str| -> u32 { text.parse().unwrap_or_else(|_| panic!("{line}")) };
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{prefix:?} in {line:?}"));
    let rest = rest
        .strip_suffix(suffix)
        .unwrap_or_else(|| panic!("{suffix:?} in {line:?}"));
    let (a, b) = rest
        .split_once(middle)
        .unwrap_or_else(|| panic!("{middle:?} in {line:?}"));
    (parse(a), parse(b))
}

#[test]
fn pub_drops_and_push_refuses_at_the_high_water_mark() {
    let run = harness::run_lesson("hwm");
    run.assert_clean();
    let output = run.stdout_of("hwm");
    let tcp = output
        .strip_prefix(INPROC)
        .unwrap_or_else(|| panic!("the exact inproc counts first:\n{output}"));
    let lines: Vec<&str> = tcp.lines().collect();
    assert_eq!(lines.len(), 2, "{tcp}");
    // PUB: the 1000 messages its own pipe holds at least (less the one probe
    // the subscriber read and ZeroMQ has not yet accounted for, at worst half
    // of it); and never all: the kernel's buffers do not hold 100 MB.
    let (arrived, dropped) = figures(lines[0], "  PUB to SUB: ", " arrived, ", " dropped");
    assert_eq!(arrived + dropped, 100_000, "{tcp}");
    assert!(arrived >= 500 && dropped > 0, "{tcp}");
    // PUSH: at least its own SNDHWM, and never all.
    let (sent, no_room) = figures(
        lines[1],
        "  PUSH to PULL: ",
        " sent, then no room for ",
        " ms",
    );
    assert!((1000..100_000).contains(&sent), "{tcp}");
    assert_eq!(no_room, 500);

    let mut settings = harness::snapshot_settings();
    settings.add_filter(
        r"PUB to SUB: \d+ arrived, \d+ dropped",
        "PUB to SUB: [ARRIVED] arrived, [DROPPED] dropped",
    );
    settings.add_filter(r"PUSH to PULL: \d+ sent,", "PUSH to PULL: [SENT] sent,");
    settings.bind(|| insta::assert_snapshot!("hwm", run.sections()));
}

#[test]
fn fewer_messages_than_the_high_water_marks_all_arrive() {
    let ports = PortBlock::new();
    let args = [
        "--messages",
        "1500",
        "--pub-bind",
        &ports.bind(0),
        "--sub-connect",
        &ports.connect(0),
        "--pull-bind",
        &ports.bind(1),
        "--push-connect",
        &ports.connect(1),
    ];
    let (status, stdout, stderr) = Example::start("hwm", &args).finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    for line in [
        "  SNDHWM 1000 (the default), RCVHWM 1000 (the default): 1500 arrived (1 to 1500), 0 dropped",
        "  SNDHWM 100, RCVHWM 100: 200 arrived (1 to 200), 1300 dropped",
        "  SNDHWM 1000 (the default), RCVHWM 1000 (the default): all 1500 sent",
        "  SNDHWM 10, RCVHWM 10: 20 sent, then EAGAIN",
        // 1500 messages of 1 KB fit in the kernel's buffers and the pipes.
        "  PUSH to PULL: all 1500 sent",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "no {line:?} in:\n{stdout}"
        );
    }
}

#[test]
fn hwm_stops_on_ctrl_c_while_waiting_for_its_subscription() {
    // The SUB socket connects where no PUB is bound: the tcp:// round waits
    // for a subscription that never comes.
    let ports = PortBlock::new();
    let args = [
        "--pub-bind",
        &ports.bind(0),
        "--sub-connect",
        &ports.connect(1),
        "--pull-bind",
        &ports.bind(2),
        "--push-connect",
        &ports.connect(2),
    ];
    let mut hwm = Example::start("hwm", &args);
    let seen = hwm.wait_for_output("(varies from run to run):\n");
    hwm.interrupt();
    let (status, rest, stderr) = hwm.finish();
    let stdout = seen + &rest;
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "", "stops quietly");
    assert_eq!(stdout, INPROC, "nothing more once interrupted");
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let endpoint = ports.bind(0);
    let other = ports.bind(1);
    harness::assert_port_in_use_is_one_line_error(
        "hwm",
        &[
            "--pub-bind",
            &other,
            "--sub-connect",
            &ports.connect(1),
            "--pull-bind",
            &endpoint,
            "--push-connect",
            &ports.connect(0),
        ],
        &endpoint,
    );
}

#[test]
fn bad_arguments_are_short_errors() {
    let (status, stdout, stderr) = Example::start("hwm", &["--pub-bind", "nowhere"]).finish();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("hwm: error: cannot bind to nowhere: "),
        "{stderr}"
    );
    let (status, stdout, stderr) = Example::start("hwm", &["--messages", "0"]).finish();
    assert_eq!(status.code(), Some(2), "clap's status for a usage error");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr.lines().next(),
        Some("error: invalid value '0' for '--messages <MESSAGES>': 0 is not in 1..=1000000")
    );
}
