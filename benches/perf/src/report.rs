//! The benchmark's results as the book shows them: tables of medians (a
//! Markdown file the performance page includes) and two SVG charts.

use std::fmt::Write as _;

use crate::measure::{Case, Implementation, Kind, Transport};
use crate::pipeline::{Dealing, Scaling};
use crate::plot::{Chart, Series};
use plotters::style::RGBColor;

/// Rust must reach this share of the C tool's throughput…
pub const THROUGHPUT_BAR: f64 = 0.97;
/// …and stay within this multiple of its latency.
pub const LATENCY_BAR: f64 = 1.05;

/// Every run of one case, both implementations.
#[derive(Clone, Debug)]
pub struct Row {
    pub case: Case,
    pub c: Vec<f64>,
    pub rust: Vec<f64>,
    /// Runs repeated because messages were lost (see [`crate::measure`]).
    pub lost: usize,
}

impl Row {
    pub fn runs(&self, implementation: Implementation) -> &[f64] {
        match implementation {
            Implementation::C => &self.c,
            Implementation::Rust => &self.rust,
        }
    }

    /// Rust's median over C's.
    pub fn ratio(&self) -> f64 {
        median(&self.rust) / median(&self.c)
    }

    /// Whether Rust's median is within the bar for this kind of figure.
    pub fn meets_bar(&self) -> bool {
        match self.case.kind {
            Kind::Throughput => self.ratio() >= THROUGHPUT_BAR,
            Kind::Latency => self.ratio() <= LATENCY_BAR,
        }
    }

    /// How far apart the runs were: the larger of the two implementations'
    /// interquartile ranges, as a share of its median.
    pub fn spread(&self) -> f64 {
        spread(&self.c).max(spread(&self.rust))
    }
}

/// The plain TCP stream that carried as many bytes as one throughput case.
#[derive(Clone, Debug)]
pub struct Stream {
    pub size: usize,
    pub megabits: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Results {
    /// Which machine, when, and how many runs.
    pub machine: String,
    /// The same for the pipeline runs.
    pub pipeline_machine: String,
    pub rows: Vec<Row>,
    pub streams: Vec<Stream>,
    /// Every pipeline run, in the order they were made.
    pub scaling: Vec<Scaling>,
}

/// The middle value (the mean of the middle two for an even count); NaN if none.
pub fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

fn spread(values: &[f64]) -> f64 {
    (quantile(values, 0.75) - quantile(values, 0.25)) / median(values)
}

fn megabits(messages_per_second: f64, size: usize) -> f64 {
    messages_per_second * size as f64 * 8.0 / 1_000_000.0
}

/// The Markdown the performance page includes: the tools' tables.
pub fn markdown(results: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", results.machine);
    throughput_table(&mut out, results);
    latency_table(&mut out, results);
    out
}

/// The Markdown the performance page includes: the pipeline's scaling.
pub fn pipeline_markdown(results: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", results.pipeline_machine);
    scaling_table(&mut out, &results.scaling);
    out
}

fn throughput_table(out: &mut String, results: &Results) {
    out.push_str("#### Throughput\n\n");
    out.push_str(
        "| transport | size | C [msg/s] | Rust [msg/s] | Rust/C | Rust [Mb/s] \
         | TCP stream [Mb/s] | Rust/stream | spread |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for row in rows_of(results, Kind::Throughput) {
        let size = row.case.size;
        let rust_megabits = megabits(median(&row.rust), size);
        let stream = results
            .streams
            .iter()
            .find(|stream| stream.size == size && row.case.transport == Transport::Tcp)
            .map(|stream| median(&stream.megabits));
        let (stream_column, share_column) = match stream {
            Some(stream) => (
                format!("{stream:.0}"),
                format!("{:.0} %", rust_megabits / stream * 100.0),
            ),
            None => ("".into(), "".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {rust_megabits:.1} | {stream_column} | {share_column} | {} |",
            row.case.transport.name(),
            size_label(size),
            thousands(median(&row.c)),
            thousands(median(&row.rust)),
            ratio_cell(row),
            percent(row.spread()),
        );
    }
    out.push('\n');
    for row in rows_of(results, Kind::Throughput).filter(|row| row.lost > 0) {
        let _ = writeln!(
            out,
            "- {} {}: {} run(s) lost messages and were run again; the medians are of \
             {} C and {} Rust runs.",
            row.case.transport.name(),
            size_label(row.case.size),
            row.lost,
            row.c.len(),
            row.rust.len(),
        );
    }
    if results.rows.iter().any(|row| row.lost > 0) {
        out.push('\n');
    }
}

fn latency_table(out: &mut String, results: &Results) {
    out.push_str("#### Latency (one way, half a round trip)\n\n");
    out.push_str("| transport | size | C [µs] | Rust [µs] | Rust/C | spread |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|\n");
    for row in rows_of(results, Kind::Latency) {
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {:.2} | {} | {} |",
            row.case.transport.name(),
            size_label(row.case.size),
            median(&row.c),
            median(&row.rust),
            ratio_cell(row),
            percent(row.spread()),
        );
    }
    out.push('\n');
}

fn scaling_table(out: &mut String, scaling: &[Scaling]) {
    out.push_str("#### Pipeline scaling (the pipeline lessons, seed 42)\n\n");
    out.push_str(
        "| workers | dealing | total workload [ms] | ideal [ms] | busiest worker's share [ms] \
         | sink's time [ms] | efficiency |\n",
    );
    out.push_str("|--:|---|--:|--:|--:|--:|--:|\n");
    let mut workers: Vec<usize> = scaling.iter().map(|run| run.workers).collect();
    workers.sort();
    workers.dedup();
    for n in workers {
        for dealing in Dealing::BOTH {
            let Some(run) = median_run(scaling, dealing, n) else {
                continue;
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {} | {} | {} |",
                run.workers,
                dealing.name(),
                run.total_ms,
                run.ideal_ms(),
                run.busiest_ms,
                run.elapsed_ms,
                percent(run.efficiency()),
            );
        }
    }
    out.push('\n');
}

/// Of the runs with `dealing` and `workers`, the one whose sink's time is the
/// median (the lower middle one for an even count).
pub fn median_run(scaling: &[Scaling], dealing: Dealing, workers: usize) -> Option<Scaling> {
    let mut runs: Vec<Scaling> = scaling
        .iter()
        .filter(|run| run.dealing == dealing && run.workers == workers)
        .copied()
        .collect();
    runs.sort_by_key(|run| run.elapsed_ms);
    runs.get(runs.len().saturating_sub(1) / 2).copied()
}

/// The ratio, marked where it misses the bar.
fn ratio_cell(row: &Row) -> String {
    let mark = if row.meets_bar() { "" } else { " ✗" };
    format!("{:.3}{mark}", row.ratio())
}

fn rows_of(results: &Results, kind: Kind) -> impl Iterator<Item = &Row> {
    results.rows.iter().filter(move |row| row.case.kind == kind)
}

/// The rows where Rust misses the bar.
pub fn short_rows(results: &Results) -> Vec<&Row> {
    results.rows.iter().filter(|row| !row.meets_bar()).collect()
}

fn size_label(size: usize) -> String {
    match size {
        s if s >= 1024 && s % 1024 == 0 => format!("{} KiB", s / 1024),
        s => format!("{s} B"),
    }
}

fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let digits = format!("{:.0}", value);
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// Each transport's colour in the charts.
fn colour(transport: Transport) -> RGBColor {
    match transport {
        Transport::Tcp => RGBColor(0x1f, 0x77, 0xb4),
        Transport::Ipc => RGBColor(0x2c, 0xa0, 0x2c),
        Transport::Inproc => RGBColor(0xd6, 0x27, 0x28),
    }
}

/// Throughput against message size: one line per transport and implementation
/// (C dashed), and the plain TCP stream.
pub fn throughput_chart(results: &Results) -> Chart {
    let mut series = figure_series(results, Kind::Throughput, |row, runs| {
        megabits(median(runs), row.case.size)
    });
    series.push(Series {
        label: "TCP stream (no ZeroMQ)".into(),
        colour: RGBColor(0x7f, 0x7f, 0x7f),
        dashed: false,
        points: results
            .streams
            .iter()
            .map(|stream| (stream.size as f64, median(&stream.megabits)))
            .collect(),
    });
    Chart {
        title: "Throughput".into(),
        x_label: "message size [B]".into(),
        y_label: "throughput [Mb/s]".into(),
        series,
    }
}

/// Latency against message size, likewise.
pub fn latency_chart(results: &Results) -> Chart {
    Chart {
        title: "Latency (one way)".into(),
        x_label: "message size [B]".into(),
        y_label: "latency [µs]".into(),
        series: figure_series(results, Kind::Latency, |_, runs| median(runs)),
    }
}

fn figure_series(results: &Results, kind: Kind, y: impl Fn(&Row, &[f64]) -> f64) -> Vec<Series> {
    let mut series = Vec::new();
    for transport in crate::TRANSPORTS {
        for implementation in [Implementation::C, Implementation::Rust] {
            let points = rows_of(results, kind)
                .filter(|row| row.case.transport == transport)
                .map(|row| (row.case.size as f64, y(row, row.runs(implementation))))
                .collect();
            series.push(Series {
                label: format!("{} · {}", transport.name(), implementation.name()),
                colour: colour(transport),
                dashed: implementation == Implementation::C,
                points,
            });
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: Kind, transport: Transport, size: usize, c: &[f64], rust: &[f64]) -> Row {
        Row {
            case: Case {
                kind,
                transport,
                size,
                count: 1000,
            },
            c: c.to_vec(),
            rust: rust.to_vec(),
            lost: 0,
        }
    }

    #[test]
    fn median_and_quartiles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(spread(&[1.0, 2.0, 3.0, 4.0, 5.0]), 2.0 / 3.0);
    }

    #[test]
    fn the_bar_depends_on_the_kind_of_figure() {
        let fast = row(Kind::Throughput, Transport::Tcp, 16, &[100.0], &[98.0]);
        let slow = row(Kind::Throughput, Transport::Tcp, 16, &[100.0], &[96.0]);
        let quick = row(Kind::Latency, Transport::Tcp, 16, &[10.0], &[10.4]);
        let late = row(Kind::Latency, Transport::Tcp, 16, &[10.0], &[10.6]);
        assert!(fast.meets_bar() && !slow.meets_bar());
        assert!(quick.meets_bar() && !late.meets_bar());
    }

    #[test]
    fn tables_show_medians_ratios_and_the_stream() {
        let results = Results {
            machine: "Measured on a test.".into(),
            pipeline_machine: "Piped on a test.".into(),
            rows: vec![
                row(
                    Kind::Throughput,
                    Transport::Tcp,
                    4096,
                    &[1000.0, 3000.0, 2000.0],
                    &[1900.0],
                ),
                row(Kind::Latency, Transport::Inproc, 16, &[10.0], &[11.0]),
            ],
            streams: vec![Stream {
                size: 4096,
                megabits: vec![131.072],
            }],
            scaling: [2700, 2600, 2650]
                .into_iter()
                .map(|elapsed_ms| Scaling {
                    dealing: Dealing::RoundRobin,
                    workers: 2,
                    total_ms: 5000,
                    elapsed_ms,
                    busiest_ms: elapsed_ms - 50,
                })
                .chain([Scaling {
                    dealing: Dealing::LoadBalanced,
                    workers: 2,
                    total_ms: 5000,
                    elapsed_ms: 2525,
                    busiest_ms: 2510,
                }])
                .collect(),
        };
        let text = markdown(&results);
        assert!(text.starts_with("Measured on a test.\n"), "{text}");
        assert!(
            text.contains("| tcp | 4 KiB | 2,000 | 1,900 | 0.950 ✗ | 62.3 | 131 | 48 % | 50 % |"),
            "{text}"
        );
        assert!(
            text.contains("| inproc | 16 B | 10.00 | 11.00 | 1.100 ✗ | 0 % |"),
            "{text}"
        );
        assert!(!text.contains("Pipeline"), "{text}");
        let pipeline = pipeline_markdown(&results);
        assert!(pipeline.starts_with("Piped on a test.\n"), "{pipeline}");
        assert!(
            pipeline.contains(
                "| 2 | round-robin | 5000 | 2500 | 2600 | 2650 | 94 % |\n\
                 | 2 | load-balanced | 5000 | 2500 | 2510 | 2525 | 99 % |\n"
            ),
            "the median run of each dealing, round-robin first: {pipeline}"
        );
        assert_eq!(short_rows(&results).len(), 2);
        assert!(!text.contains("lost messages"), "{text}");

        let mut lossy = results.clone();
        lossy.rows[0].lost = 12;
        assert!(
            markdown(&lossy).contains(
                "- tcp 4 KiB: 12 run(s) lost messages and were run again; \
                 the medians are of 3 C and 1 Rust runs.\n"
            ),
            "{}",
            markdown(&lossy)
        );
    }

    #[test]
    fn charts_have_a_line_per_transport_and_implementation() {
        let results = Results {
            machine: String::new(),
            pipeline_machine: String::new(),
            rows: vec![row(Kind::Throughput, Transport::Ipc, 256, &[1.0], &[1.0])],
            streams: vec![],
            scaling: vec![],
        };
        let chart = throughput_chart(&results);
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "tcp · C",
                "tcp · Rust",
                "ipc · C",
                "ipc · Rust",
                "inproc · C",
                "inproc · Rust",
                "TCP stream (no ZeroMQ)"
            ]
        );
        assert_eq!(chart.series[2].points, [(256.0, 256.0 * 8.0 / 1e6)]);
        assert!(chart.series[2].dashed && !chart.series[3].dashed);
    }
}
