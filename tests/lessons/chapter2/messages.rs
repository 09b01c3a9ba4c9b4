//! The messages lesson: `multipart` shows frames held back until the last one,
//! received one by one or whole, an unfinished message never delivered, and
//! an empty message as a signal; `zerocopy` shows which messages use the
//! sender's buffer, and measures sending with and without a copy (the figures
//! vary, and are hidden in the snapshot; nothing here claims one is faster).

use crate::harness::{self, Example};

const MULTIPART: &str = r#"Sending a message of 3 frames, one frame at a time:
  frame 1, "key" (3 bytes), with SNDMORE: nothing has arrived
  frame 2, "" (0 bytes), with SNDMORE: nothing has arrived
  frame 3, "the contents" (12 bytes), the last: the message has arrived
Receiving it one frame at a time:
  frame 1: "key" (3 bytes), more to come: yes
  frame 2: "" (0 bytes), more to come: yes
  frame 3: "the contents" (12 bytes), more to come: no
The same message with send_multipart and recv_multipart:
  3 frames, of 3, 0, 12 bytes
A message abandoned half-way: two frames with SNDMORE, then the socket closed:
  the next message to arrive: 1 frame, "whole" (5 bytes)
Zero-length messages as signals:
  "result 1" (8 bytes)
  "result 2" (8 bytes)
  "result 3" (8 bytes)
  0 bytes: the worker is done
"#;

const BUFFERS: &str = "A buffer of 1000000 bytes, and messages made from it:
  Message::from(&buffer[..]): same buffer: no
  Message::from(buffer): same buffer: yes
  sent, then recv_msg: same buffer: yes
  sent, then recv_bytes: a copy of 1000000 bytes in a new Vec
Sending with and without a copy, over inproc (varies from run to run):
";

/// Lesson snapshots with the measured figures (which vary) replaced; each
/// pattern matches only the exact format of zerocopy's figures.
fn figures_hidden() -> insta::Settings {
    let mut settings = harness::snapshot_settings();
    settings.add_filter(
        r"\d+\.\d\d µs per message, \d+ MB/s",
        "[MICROSECONDS] µs per message, [RATE] MB/s",
    );
    settings
}

/// zerocopy's measurement lines after BUFFERS, for each size: the size and
/// count, then a copied and a not-copied line with figures above zero.
fn assert_measured(measurement: &str, volume_mb: u64) {
    let lines: Vec<&str> = measurement.lines().collect();
    assert_eq!(
        lines.len(),
        9,
        "three lines for each of three sizes:\n{measurement}"
    );
    for (chunk, size) in lines.chunks(3).zip([100u64, 10_000, 1_000_000]) {
        let count = (volume_mb * 1_000_000 / size).clamp(1, 100_000);
        assert_eq!(chunk[0], format!("  {size} bytes, {count} messages:"));
        for (line, label) in chunk[1..]
            .iter()
            .zip(["    copied:     ", "    not copied: "])
        {
            let figures = line
                .strip_prefix(label)
                .unwrap_or_else(|| panic!("{label:?} in {line:?}"));
            let (micros, rate) = figures
                .strip_suffix(" MB/s")
                .and_then(|f| f.split_once(" µs per message, "))
                .unwrap_or_else(|| panic!("figures in {line:?}"));
            let micros: f64 = micros.parse().expect("µs");
            let rate: f64 = rate.parse().expect("MB/s");
            assert!(micros >= 0.0 && rate > 0.0, "{line}");
        }
    }
}

#[test]
fn frames_signals_and_buffers() {
    let run = harness::run_lesson("messages");
    run.assert_clean();
    assert_eq!(run.stdout_of("multipart"), MULTIPART);
    let zerocopy = run.stdout_of("zerocopy");
    let measurement = zerocopy
        .strip_prefix(BUFFERS)
        .unwrap_or_else(|| panic!("the buffers first:\n{zerocopy}"));
    assert_measured(measurement, 50);
    figures_hidden().bind(|| insta::assert_snapshot!("messages", run.sections()));
}

#[test]
fn multipart_has_no_race() {
    // Whether a frame has arrived is decided by ZeroMQ (nothing is passed on
    // before the last frame), not by timing: twenty runs, the same lines.
    for attempt in 1..=20 {
        let (status, stdout, stderr) = Example::start("multipart", &[]).finish();
        assert!(status.success(), "run {attempt}: {status}: {stderr}");
        assert_eq!(stderr, "", "run {attempt}");
        assert_eq!(stdout, MULTIPART, "run {attempt}");
    }
}

#[test]
fn zerocopy_measures_what_it_is_told() {
    // 1 MB for each size: 10000 messages of 100 bytes, 100 of 10 KB, 1 of 1 MB.
    let (status, stdout, stderr) = Example::start("zerocopy", &["--volume-mb", "1"]).finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let measurement = stdout.strip_prefix(BUFFERS).expect("the buffers first");
    assert_measured(measurement, 1);
}

#[test]
fn zerocopy_stops_on_ctrl_c_while_measuring() {
    // A hundred thousand messages of each size: a minute or more of work.
    let mut zerocopy = Example::start("zerocopy", &["--volume-mb", "1000000"]);
    let seen = zerocopy.wait_for_output("Sending with and without a copy");
    zerocopy.interrupt();
    let (status, rest, stderr) = zerocopy.finish();
    let stdout = seen + &rest;
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "", "stops quietly");
    assert!(stdout.starts_with(BUFFERS), "{stdout}");
}

#[test]
fn bad_arguments_are_short_errors() {
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "zerocopy",
            &["--volume-mb", "0"],
            "error: invalid value '0' for '--volume-mb <VOLUME_MB>': 0 is not in 1..=1000000",
        ),
        (
            "zerocopy",
            &["--volume-mb", "lots"],
            "error: invalid value 'lots' for '--volume-mb <VOLUME_MB>': invalid digit found in string",
        ),
        (
            "multipart",
            &["--frames", "3"],
            "error: unexpected argument '--frames' found",
        ),
    ];
    for (example, args, expected) in cases {
        let (status, stdout, stderr) = Example::start(example, args).finish();
        assert_eq!(status.code(), Some(2), "clap's status for a usage error");
        assert_eq!(stdout, "");
        assert_eq!(
            stderr.lines().next(),
            Some(expected),
            "{example} {args:?}:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}
