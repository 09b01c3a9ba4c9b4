//! The weather lesson: wuclient averages 100 of wuserver's updates for 10001.
//! Bad input to wuclient: malformed updates are reported and skipped.

use crate::harness::{self, Example, PortBlock, socket};

#[test]
fn client_averages_a_hundred_updates() {
    let run = harness::run_lesson("weather");
    run.assert_clean();

    // Which 100 updates the client gets depends on when it joined, so the
    // average varies; check it is a temperature the server can send (-80..=134),
    // then show it as a placeholder.
    let client = run.stdout_of("client");
    harness::assert_weather_average(client);

    harness::snapshot_settings_with_average()
        .bind(|| insta::assert_snapshot!("weather", run.sections()));
}

#[test]
fn wuclient_skips_malformed_updates() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let publisher = socket(&context, zmq::PUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let mut client = Example::start("wuclient", &["--connect", &ports.connect(0)]);
    // Publish until the client has its 100 good updates and exits (bounded).
    let started = std::time::Instant::now();
    for round in 0.. {
        let bad: &[u8] = match round % 3 {
            0 => b"10001 hot 50",
            1 => b"10001 20",
            _ => b"10001 \xff 50",
        };
        publisher.send(bad, 0).expect("send");
        publisher.send("10001 20 50", 0).expect("send");
        std::thread::sleep(std::time::Duration::from_millis(2));
        if client.has_exited() {
            break;
        }
        assert!(
            started.elapsed() < harness::DEADLINE,
            "wuclient did not finish"
        );
    }
    let (status, stdout, stderr) = client.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stdout.ends_with("Average temperature for zipcode '10001 ' was 20F\n"),
        "{stdout}"
    );
    let allowed = [
        "wuclient: skipping malformed message: \"hot\" is not a temperature",
        "wuclient: skipping malformed message: \"10001 20\" is not \"zipcode temperature relhumidity\"",
        "wuclient: skipping malformed message: not UTF-8 text: b\"10001 \\xff 50\"",
    ];
    assert!(stderr.lines().count() >= 3, "{stderr}");
    for line in stderr.lines() {
        assert!(allowed.contains(&line), "unexpected: {line}");
    }
}
