//! The measuring tools (ports of libzmq's local_thr, remote_thr, local_lat,
//! remote_lat, inproc_thr, inproc_lat): every pair runs for real with small
//! counts and prints exactly the C tools' lines; they stop on Ctrl-C and turn
//! bad input into one-line errors. How fast they are is the benchmark's
//! business (`cargo make perf`), not a test's.
//!
//! Every test takes its own block of ports.

use std::time::Duration;

use crate::harness::{self, Example, PortBlock, socket};
use workbook::perf::Figures;

/// Lesson snapshots with the measured figures (which vary) replaced. Each
/// pattern matches only the exact format of the C tools' line, so a change of
/// format shows in the snapshot.
fn figures_hidden() -> insta::Settings {
    let mut settings = harness::snapshot_settings();
    settings.add_filter(
        r"mean throughput: \d+ \[msg/s\]",
        "mean throughput: [MESSAGES] [msg/s]",
    );
    settings.add_filter(
        r"mean throughput: \d+\.\d{3} \[Mb/s\]",
        "mean throughput: [MEGABITS] [Mb/s]",
    );
    settings.add_filter(
        r"average latency: \d+\.\d{3} \[us\]",
        "average latency: [MICROSECONDS] [us]",
    );
    settings
}

/// The four lines of local_thr and inproc_thr, in order, with sane figures.
fn assert_throughput_lines(output: &str, size: u64, count: u64) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 4, "{output}");
    assert_eq!(lines[0], format!("message size: {size} [B]"));
    assert_eq!(lines[1], format!("message count: {count}"));
    assert!(
        lines[2].starts_with("mean throughput: ") && lines[2].ends_with(" [msg/s]"),
        "{output}"
    );
    assert!(
        lines[3].starts_with("mean throughput: ") && lines[3].ends_with(" [Mb/s]"),
        "{output}"
    );
    let figures = Figures::parse(output).expect("the lines parse");
    let rate = figures.messages_per_second.expect("msg/s") as f64;
    let megabits = figures.megabits_per_second.expect("Mb/s");
    assert!(rate > 0.0, "{output}");
    // Mb/s is msg/s × size × 8 / 10⁶, up to msg/s being printed as a whole number.
    let expected = rate * size as f64 * 8.0 / 1e6;
    assert!(
        (megabits - expected).abs() <= size as f64 * 8.0 / 1e6 + 0.001,
        "{megabits} Mb/s against {expected}\n{output}"
    );
}

/// The three lines of remote_lat and inproc_lat, in order.
fn assert_latency_lines(output: &str, size: u64, count: u64) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 3, "{output}");
    assert_eq!(lines[0], format!("message size: {size} [B]"));
    assert_eq!(lines[1], format!("roundtrip count: {count}"));
    let latency = lines[2]
        .strip_prefix("average latency: ")
        .and_then(|rest| rest.strip_suffix(" [us]"))
        .unwrap_or_else(|| panic!("{output}"));
    let decimals = latency.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(decimals, 3, "three decimals, as %.3f: {output}");
    assert!(latency.parse::<f64>().expect("a number") > 0.0, "{output}");
}

#[test]
fn throughput_lesson() {
    let run = harness::run_lesson("throughput");
    run.assert_clean();
    assert_throughput_lines(run.stdout_of("local"), 256, 100_000);
    assert_eq!(run.stdout_of("remote"), "", "remote_thr prints nothing");
    figures_hidden().bind(|| insta::assert_snapshot!("throughput", run.sections()));
}

#[test]
fn latency_lesson() {
    let run = harness::run_lesson("latency");
    run.assert_clean();
    assert_latency_lines(run.stdout_of("remote"), 256, 10_000);
    assert_eq!(run.stdout_of("local"), "", "local_lat prints nothing");
    figures_hidden().bind(|| insta::assert_snapshot!("latency", run.sections()));
}

#[test]
fn inproc_throughput_lesson() {
    let run = harness::run_lesson("inproc-throughput");
    run.assert_clean();
    assert_throughput_lines(run.stdout_of("inproc"), 256, 100_000);
    figures_hidden().bind(|| insta::assert_snapshot!("inproc-throughput", run.sections()));
}

#[test]
fn inproc_latency_lesson() {
    let run = harness::run_lesson("inproc-latency");
    run.assert_clean();
    assert_latency_lines(run.stdout_of("inproc"), 256, 10_000);
    figures_hidden().bind(|| insta::assert_snapshot!("inproc-latency", run.sections()));
}

/// Run a local/remote pair by hand; the stdout of each.
fn run_pair(local: &str, remote: &str, endpoint: &str, size: u64, count: u64) -> (String, String) {
    let args = [endpoint.to_string(), size.to_string(), count.to_string()];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let local = Example::start(local, &args);
    let remote = Example::start(remote, &args);
    let (remote_status, remote_out, remote_err) = remote.finish();
    let (local_status, local_out, local_err) = local.finish();
    assert!(remote_status.success(), "{remote_status}: {remote_err}");
    assert!(local_status.success(), "{local_status}: {local_err}");
    assert_eq!(remote_err, "");
    assert_eq!(local_err, "");
    (local_out, remote_out)
}

#[test]
fn every_pair_at_the_smallest_and_largest_size_over_tcp_and_ipc() {
    let ipc = std::env::temp_dir().join(format!("workbook-perf-test-{}.ipc", std::process::id()));
    let ipc = format!("ipc://{}", ipc.display());
    let ports = PortBlock::new();
    let (thr, lat) = (ports.bind(0), ports.bind(1));
    for (endpoint, size) in [
        (thr.as_str(), 16),
        (thr.as_str(), 65536),
        (ipc.as_str(), 65536),
    ] {
        let (local, remote) = run_pair("local_thr", "remote_thr", endpoint, size, 200);
        assert_throughput_lines(&local, size, 200);
        assert_eq!(remote, "");
    }
    for (endpoint, size) in [
        (lat.as_str(), 16),
        (lat.as_str(), 65536),
        (ipc.as_str(), 16),
        (ipc.as_str(), 65536),
    ] {
        let (local, remote) = run_pair("local_lat", "remote_lat", endpoint, size, 50);
        assert_latency_lines(&remote, size, 50);
        assert_eq!(local, "");
    }
}

#[test]
fn inproc_tools_at_the_smallest_and_largest_size() {
    for size in [16, 65536] {
        let (status, out, err) = Example::start("inproc_thr", &[&size.to_string(), "200"]).finish();
        assert!(status.success(), "{status}: {err}");
        assert_throughput_lines(&out, size, 200);
        let (status, out, err) = Example::start("inproc_lat", &[&size.to_string(), "50"]).finish();
        assert!(status.success(), "{status}: {err}");
        assert_latency_lines(&out, size, 50);
    }
}

/// After Ctrl-C: exit status 0, nothing printed.
fn assert_stopped_quietly(name: &str, tool: Example) {
    let (status, out, err) = tool.finish();
    assert!(status.success(), "{name}: {status}: {err}");
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("", ""),
        "{name} stops quietly"
    );
}

#[test]
fn ctrl_c_stops_a_tool_while_messages_flow() {
    // Counts that would take minutes: Ctrl-C must not wait for them.
    let busy = [
        ("inproc_thr", vec!["16", "1000000000"]),
        ("inproc_lat", vec!["16", "100000000"]),
    ];
    let mut tools: Vec<(&str, Example)> = busy
        .iter()
        .map(|(tool, args)| (*tool, Example::start(tool, args)))
        .collect();
    let endpoint = PortBlock::new().bind(0);
    let local = Example::start("local_thr", &[&endpoint, "16", "1000000000"]);
    let remote = Example::start("remote_thr", &[&endpoint, "16", "1000000000"]);
    tools.push(("local_thr", local));
    tools.push(("remote_thr", remote));
    // Long enough for messages to be flowing; short, as four busy processes
    // slow every other test running beside this one.
    std::thread::sleep(Duration::from_millis(200));
    for (_, tool) in &mut tools {
        tool.interrupt();
    }
    for (name, mut tool) in tools {
        let started = std::time::Instant::now();
        while !tool.has_exited() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(tool.has_exited(), "{name} ignored Ctrl-C for 5 s");
        assert_stopped_quietly(name, tool);
    }
}

#[test]
fn local_thr_stops_at_a_message_of_the_wrong_size() {
    let endpoint = PortBlock::new().bind(0);
    let local = Example::start("local_thr", &[&endpoint, "16", "10"]);
    let context = zmq::Context::new();
    let sender = socket(&context, zmq::PUSH);
    sender.connect(&endpoint).expect("connect");
    sender.send(&[0u8; 16][..], 0).expect("send");
    sender.send(&b"odd"[..], 0).expect("send");
    let (status, out, err) = local.finish();
    assert_eq!(status.code(), Some(1), "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "local_thr: error: message of incorrect size received: 3 bytes, expected 16\n"
    );
}

#[test]
fn local_lat_reports_a_message_of_the_wrong_size_and_still_echoes_it() {
    let endpoint = PortBlock::new().bind(0);
    let local = Example::start("local_lat", &[&endpoint, "16", "2"]);
    let context = zmq::Context::new();
    let requester = socket(&context, zmq::REQ);
    requester.connect(&endpoint).expect("connect");
    for request in [&b"odd"[..], &[7u8; 16][..]] {
        requester.send(request, 0).expect("send");
        assert_eq!(requester.recv_bytes(0).expect("the echo"), request);
    }
    let (status, out, err) = local.finish();
    assert!(status.success(), "{status}: {err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "local_lat: skipping malformed message: 3 bytes, expected 16\n"
    );
}

#[test]
fn bad_arguments_are_one_line_errors() {
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "remote_thr",
            &["tcp://nowhere", "16", "10"],
            "remote_thr: error: cannot connect to tcp://nowhere: no port in tcp://nowhere; \
             an endpoint is TRANSPORT://ADDRESS, such as tcp://127.0.0.1:5555 to bind or \
             tcp://localhost:5555 to connect\n",
        ),
        (
            "local_lat",
            &["carrier-pigeon://loft", "16", "10"],
            "local_lat: error: cannot bind to carrier-pigeon://loft: unknown transport \
             \"carrier-pigeon\": ZeroMQ knows tcp, ipc, inproc, pgm, epgm, tipc, vmci, udp, ws, \
             wss; an endpoint is TRANSPORT://ADDRESS, such as tcp://127.0.0.1:5555 to bind or \
             tcp://localhost:5555 to connect\n",
        ),
        (
            "local_thr",
            // Refused by the argument parser, before any socket exists.
            &["tcp://127.0.0.1:5555", "16", "0"],
            "error: invalid value '0' for '<MESSAGE_COUNT>': 0 is not in 1..18446744073709551615\n",
        ),
        (
            "inproc_lat",
            &["big", "10"],
            "error: invalid value 'big' for '<MESSAGE_SIZE>': invalid digit found in string\n",
        ),
    ];
    for (tool, args, expected) in cases {
        let (status, out, err) = Example::start(tool, args).finish();
        assert!(!status.success(), "{tool} {args:?}");
        assert_eq!(out, "");
        let first_line = err.lines().next().unwrap_or_default();
        assert_eq!(
            format!("{first_line}\n"),
            expected,
            "{tool} {args:?}:\n{err}"
        );
    }
}
