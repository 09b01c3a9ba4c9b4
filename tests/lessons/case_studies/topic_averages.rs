//! The topic-averages lesson: topicpub publishes a temperature for 10000,
//! 10001 or 10002 every 100 ms; topicsub, subscribed to 10001, prints five and
//! their average. Bad input: malformed updates to topicsub.

use std::time::Duration;

use crate::harness::{self, Example, PortBlock, socket};

/// The temperatures topicsub printed, and its average.
fn temperatures_and_average(output: &str) -> (Vec<i32>, f64) {
    let mut lines = output.lines();
    assert_eq!(
        lines.next(),
        Some("Collecting 5 temperatures for zipcode 10001")
    );
    let temperatures: Vec<i32> = lines
        .by_ref()
        .take(5)
        .map(|line| {
            line.strip_prefix("10001: ")
                .and_then(|t| t.strip_suffix('F'))
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("not a temperature for 10001: {line:?}"))
        })
        .collect();
    let average = lines
        .next()
        .and_then(|line| line.strip_prefix("Average temperature for zipcode 10001 was "))
        .and_then(|rest| rest.strip_suffix('F'))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no average in:\n{output}"));
    assert_eq!(lines.next(), None, "nothing after the average");
    (temperatures, average)
}

#[test]
fn subscriber_averages_five_temperatures_of_its_zipcode() {
    let run = harness::run_lesson("topic-averages");
    run.assert_clean();
    assert_eq!(
        run.stdout_of("publisher"),
        "Publishing temperatures for zipcodes 10000 to 10002, one every 100 ms\n"
    );
    let (temperatures, average) = temperatures_and_average(run.stdout_of("subscriber"));
    assert_eq!(temperatures.len(), 5);
    for t in &temperatures {
        assert!(
            (-80..=134).contains(t),
            "a temperature topicpub can send: {t}"
        );
    }
    let mean = f64::from(temperatures.iter().sum::<i32>()) / 5.0;
    assert!(
        (average - mean).abs() < 0.05,
        "{average} is the mean of {temperatures:?}"
    );
    // Five updates for one zipcode are five sends at least, 100 ms apart.
    assert!(
        run.elapsed >= Duration::from_millis(400),
        "{:?}",
        run.elapsed
    );
    // Which updates the subscriber sees depends on when it joined.
    let mut settings = harness::snapshot_settings();
    settings.add_filter(r"(?m)^10001: -?\d+F$", "10001: [TEMPERATURE]F");
    settings.add_filter(r"was -?\d+\.\dF", "was [AVERAGE]F");
    settings.bind(|| insta::assert_snapshot!("topic-averages", run.sections()));
}

#[test]
fn topicpub_publishes_three_zipcodes_the_same_for_the_same_seed() {
    let ports = PortBlock::new();
    let mut publisher = Example::start(
        "topicpub",
        &[
            "--bind",
            &ports.bind(0),
            "--interval-ms",
            "5",
            "--seed",
            "7",
        ],
    );
    let context = zmq::Context::new();
    let subscriber = socket(&context, zmq::SUB);
    subscriber.set_subscribe(b"").expect("subscribe");
    subscriber.connect(&ports.connect(0)).expect("connect");
    let received: Vec<String> = (0..30)
        .map(|_| {
            let update = subscriber.recv_string(0).expect("an update within 10 s");
            update.expect("text")
        })
        .collect();
    publisher.interrupt();
    let (status, stdout, stderr) = publisher.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "Publishing temperatures for zipcodes 10000 to 10002, one every 5 ms\n"
    );
    // What seed 7 makes, from the start (20 s of it): the subscriber joined
    // late, so it got a stretch of it, in order, none missing.
    let mut rng = workbook::generator(Some(7));
    let expected: Vec<String> = (0..4000)
        .map(|_| {
            let zipcode = 10_000 + workbook::randof(&mut rng, 3);
            let temperature = workbook::randof(&mut rng, 215) as i32 - 80;
            format!("{zipcode} {temperature}")
        })
        .collect();
    assert!(
        expected
            .windows(received.len())
            .any(|stretch| stretch == received),
        "not a stretch of seed 7's updates: {received:?}"
    );
    for zipcode in ["10000", "10001", "10002"] {
        assert!(
            received.iter().any(|u| u.starts_with(zipcode)),
            "{zipcode}: {received:?}"
        );
    }
}

#[test]
fn topicsub_subscribes_to_its_zipcode_and_skips_malformed_updates() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    // XPUB: a PUB socket that also hands us the subscription, so we know
    // when it is in place, and what it is.
    let publisher = socket(&context, zmq::XPUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let subscriber = Example::start(
        "topicsub",
        &["--connect", &ports.connect(0), "--zipcode", "10002"],
    );
    let subscription = publisher.recv_bytes(0).expect("a subscription within 10 s");
    assert_eq!(
        subscription, b"\x0110002 ",
        "subscribed to the zipcode and a space"
    );
    let updates: [&[&[u8]]; 11] = [
        &[b"10001 99"], // not its zipcode: filtered out by the subscription
        &[b"10002 hot"],
        &[b"10002 5 6"],
        &[b"10002 7", b"8"],
        &[b"10002 \xff"],
        &[b"100020 40"], // no space after the zipcode: filtered out
        &[b"10002 10"],
        &[b"10002 20"],
        &[b"10002 -30"],
        &[b"10002 40"],
        &[b"10002 51"],
    ];
    for update in updates {
        publisher.send_multipart(update, 0).expect("send");
    }
    let (status, stdout, stderr) = subscriber.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "Collecting 5 temperatures for zipcode 10002\n\
         10002: 10F\n10002: 20F\n10002: -30F\n10002: 40F\n10002: 51F\n\
         Average temperature for zipcode 10002 was 18.2F\n"
    );
    assert_eq!(
        stderr,
        "topicsub: skipping malformed message: \"hot\" is not a temperature\n\
         topicsub: skipping malformed message: \"5 6\" is not a temperature\n\
         topicsub: skipping malformed message: 2 frames, expected 1\n\
         topicsub: skipping malformed message: not UTF-8 text: b\"10002 \\xff\"\n"
    );
}

#[test]
fn topicpub_with_a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    harness::assert_port_in_use_is_one_line_error(
        "topicpub",
        &["--bind", &ports.bind(0)],
        &ports.bind(0),
    );
}
