//! The weather lesson: wuclient averages 100 of wuserver's updates for 10001.

mod common;

#[test]
fn weather_client_averages_a_hundred_updates() {
    let run = common::run_lesson("weather");
    run.assert_clean();

    // Which 100 updates the client gets depends on when it joined, so the
    // average varies; check it is a temperature the server can send (-80..=134),
    // then show it as a placeholder.
    let client = run.stdout_of("client");
    let average: i32 = client
        .lines()
        .find_map(|line| line.strip_prefix("Average temperature for zipcode '10001 ' was "))
        .and_then(|rest| rest.strip_suffix('F'))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no average in:\n{client}"));
    assert!((-80..=134).contains(&average), "average {average}");

    let mut settings = common::snapshot_settings();
    settings.add_filter(r"was -?\d+F", "was [AVERAGE]F");
    settings.bind(|| insta::assert_snapshot!("weather", run.sections()));
}
