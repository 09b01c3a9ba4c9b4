//! The side-by-side benchmark behind `cargo make perf` (its entry point is
//! benches/perf.rs in this package): libzmq's C measuring tools against their
//! Rust ports, over every transport and message size, with a plain TCP stream
//! as the ceiling and the pipeline lesson's scaling, written out as the tables
//! and charts of the book's performance page.
//!
//! A package of the workspace rather than part of the `workbook` library, so
//! what only it needs stays out of every example's build.
//!
//! - [`tools`]: build both implementations against one libzmq.
//! - [`measure`]: one run of one tool (pair), and the figure it printed.
//! - [`wire`]: the plain TCP stream.
//! - [`pipeline`]: the pipeline lessons, round-robin and load-balanced, with
//!   1, 2, 4, 8 workers.
//! - [`report`]: medians, tables and charts. [`plot`] draws the charts.

pub mod measure;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod tools;
pub mod wire;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use measure::{Case, Implementation, Kind, Measurer, Transport};
use pipeline::Dealing;
use report::{Results, Row, Stream};

pub const SIZES: [usize; 4] = [16, 256, 4096, 65536];
pub const TRANSPORTS: [Transport; 3] = [Transport::Tcp, Transport::Ipc, Transport::Inproc];

/// The workspace root: the workbook's package (its examples, the book) and
/// the target dir. This package is benches/perf in it.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("benches/perf has two parents")
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Tiny counts and one run each: proves the whole benchmark works.
    pub quick: bool,
    /// Runs of each case per implementation.
    pub repetitions: usize,
    /// The cargo profile to build the Rust tools with: the one the
    /// benchmark itself was built with.
    pub profile: String,
    /// Where results.md, pipeline.md, throughput.svg and latency.svg go.
    pub out: PathBuf,
    /// Only the pipeline scaling (pipeline.md): the tools' tables and
    /// charts are left as they are.
    pub pipeline_only: bool,
}

/// How often each pipeline (dealing and number of workers) is run; the table
/// shows the median run. A full set takes about twenty seconds.
pub fn pipeline_runs(quick: bool) -> usize {
    if quick { 1 } else { 3 }
}

/// How many messages (throughput) or round trips (latency) one run makes:
/// a tenth to a few tenths of a second on a 2-core machine. Many short runs
/// make steadier medians than a few long ones, and the whole benchmark still
/// takes a few minutes.
pub fn count(kind: Kind, transport: Transport, size: usize, quick: bool) -> u64 {
    let count = match (kind, transport, size) {
        (Kind::Throughput, _, 16) => 600_000,
        (Kind::Throughput, _, 256) => 300_000,
        (Kind::Throughput, _, 4096) => 60_000,
        (Kind::Throughput, _, _) => 6_000,
        (Kind::Latency, Transport::Inproc, _) => 6_000,
        (Kind::Latency, _, 65536) => 1_500,
        (Kind::Latency, _, _) => 3_000,
    };
    if quick { count / 100 } else { count }
}

/// Every case, in the order the tables list them.
pub fn cases(quick: bool) -> Vec<Case> {
    let mut cases = Vec::new();
    for kind in [Kind::Throughput, Kind::Latency] {
        for transport in TRANSPORTS {
            for size in SIZES {
                cases.push(Case {
                    kind,
                    transport,
                    size,
                    count: count(kind, transport, size, quick),
                });
            }
        }
    }
    cases
}

/// Run everything, print the tables, and write them and the charts to
/// `config.out`.
pub fn run(config: &Config) -> anyhow::Result<Results> {
    eprintln!("Building the Rust examples and libzmq's C tools…");
    let binaries = tools::build(&config.profile)?;
    let mut measurer = Measurer::new(binaries.clone())?;

    let cases = if config.pipeline_only {
        Vec::new()
    } else {
        cases(config.quick)
    };
    let mut rows: Vec<Row> = cases
        .iter()
        .map(|&case| Row {
            case,
            c: Vec::new(),
            rust: Vec::new(),
            lost: 0,
        })
        .collect();
    let mut streams: Vec<Stream> = SIZES
        .iter()
        .map(|&size| Stream {
            size,
            megabits: Vec::new(),
        })
        .collect();

    // Repetition after repetition of every case, C and Rust in turn (each
    // going first half the time), so that whatever else the machine does
    // during the run weighs on both alike.
    let repetitions = if config.pipeline_only {
        0
    } else {
        config.repetitions
    };
    for repetition in 0..repetitions {
        eprintln!("Repetition {} of {}…", repetition + 1, config.repetitions);
        let order = if repetition % 2 == 0 {
            [Implementation::C, Implementation::Rust]
        } else {
            [Implementation::Rust, Implementation::C]
        };
        for row in &mut rows {
            for implementation in order {
                let Some(figure) = measure(&mut measurer, row, implementation)? else {
                    continue;
                };
                match implementation {
                    Implementation::C => row.c.push(figure),
                    Implementation::Rust => row.rust.push(figure),
                }
            }
        }
        for stream in streams.iter_mut().filter(|_| !config.pipeline_only) {
            let bytes = count(Kind::Throughput, Transport::Tcp, stream.size, config.quick)
                * stream.size as u64;
            stream.megabits.push(wire::megabits_per_second(bytes)?);
        }
    }

    // Each worker count with both dealings in turn, so that the machine's
    // moods weigh on both alike.
    let workers: &[usize] = if config.quick { &[4, 8] } else { &[1, 2, 4, 8] };
    let runs = pipeline_runs(config.quick);
    let mut scaling = Vec::new();
    for run in 0..runs {
        for &n in workers {
            for dealing in Dealing::BOTH {
                eprintln!(
                    "Pipeline, {}, {n} worker(s), run {} of {runs}…",
                    dealing.name(),
                    run + 1
                );
                let measured = pipeline::measure(&binaries.rust, dealing, n)?;
                eprintln!(
                    "  the sink's time {} ms, {:.0} % of ideal",
                    measured.elapsed_ms,
                    measured.efficiency() * 100.0
                );
                scaling.push(measured);
            }
        }
    }

    let results = Results {
        machine: machine(config),
        pipeline_machine: pipeline_machine(config, runs),
        rows,
        streams,
        scaling,
    };
    write(&results, config)?;
    Ok(results)
}

/// How often a run that lost messages is tried again before this repetition
/// goes without a figure for it.
const TRIES: usize = 10;

/// One figure for `row`, trying again (and counting it) when messages were
/// lost; `None` if they were lost every time. A libzmq bug should cost the
/// row a sample, not the whole benchmark its results.
fn measure(
    measurer: &mut Measurer,
    row: &mut Row,
    implementation: Implementation,
) -> anyhow::Result<Option<f64>> {
    for _ in 0..TRIES {
        let figure = measurer
            .measure(row.case, implementation)
            .with_context(|| format!("measuring {:?} with {implementation:?}", row.case))?;
        match figure {
            Some(figure) => return Ok(Some(figure)),
            None => row.lost += 1,
        }
    }
    Ok(None)
}

fn write(results: &Results, config: &Config) -> anyhow::Result<()> {
    let out = &config.out;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut files = vec![("pipeline.md", report::pipeline_markdown(results))];
    if !config.pipeline_only {
        files.extend([
            ("results.md", report::markdown(results)),
            (
                "throughput.svg",
                plot::svg(&report::throughput_chart(results))?,
            ),
            ("latency.svg", plot::svg(&report::latency_chart(results))?),
        ]);
    }
    for (name, text) in files {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// One sentence on where and how the tools' figures were measured.
fn machine(config: &Config) -> String {
    format!(
        "{}; medians of {} runs per implementation, C and Rust alternating.",
        machine_and_date(config),
        config.repetitions,
    )
}

/// One sentence on where and how the pipeline figures were measured.
fn pipeline_machine(config: &Config, runs: usize) -> String {
    let s = if runs == 1 { "" } else { "s" };
    format!(
        "{}; {runs} run{s} of each pipeline, the two dealings alternating, the median run shown.",
        machine_and_date(config),
    )
}

/// Which machine, libzmq, date and build.
fn machine_and_date(config: &Config) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|release| format!("{} {}", std::env::consts::OS, release.trim()))
        .unwrap_or_else(|_| std::env::consts::OS.to_string());
    let (major, minor, patch) = zmq::version();
    let profile = &config.profile;
    let quick = if config.quick {
        ", quick mode (tiny counts: figures not meaningful)"
    } else {
        ""
    };
    format!(
        "Measured on {cpu}, {cores} cores, {kernel}, libzmq {major}.{minor}.{patch}, {} (cargo profile {profile}{quick})",
        today(),
    )
}

/// Today's date, YYYY-MM-DD (UTC).
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The calendar date `days` after 1970-01-01 (the proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
    }

    #[test]
    fn every_transport_and_size_for_both_kinds() {
        let full = cases(false);
        assert_eq!(full.len(), 2 * TRANSPORTS.len() * SIZES.len());
        assert!(full.iter().all(|case| case.count >= 1_500));
        assert!(cases(true).iter().all(|case| case.count >= 15));
    }
}
