//! The side-by-side benchmark: libzmq's C measuring tools against their Rust
//! ports (local_thr, remote_thr, local_lat, remote_lat, inproc_thr, inproc_lat),
//! a plain TCP stream as the ceiling, and the pipeline lesson's scaling.
//!
//! Run it:       cargo bench --profile perf --bench perf   (or: cargo make perf)
//! A smoke run:  cargo test --bench perf -- --quick        (or: cargo make perf-quick)
//!
//! Both work from the workspace root as from here. The Rust tools are built
//! with the cargo profile this benchmark was built with: `perf` (release with
//! fat LTO, see the root Cargo.toml) for figures, or the quick debug build of
//! `cargo test` for a smoke run.
//!
//! A full run writes the tables and charts of the book's performance page
//! (chapters/performance/); a quick run writes them under target/perf-quick/.
//! `-- --pipeline-only` runs only the pipeline lessons and rewrites only their
//! table (pipeline.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use workbook_perf::{Config, report};

#[derive(Parser)]
struct Args {
    /// Tiny counts and one run of each: checks that everything works, in seconds.
    #[arg(long)]
    quick: bool,
    /// Runs of every case per implementation [default: 15, or 1 with --quick].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    repetitions: Option<u16>,
    /// Where to write results.md, pipeline.md, throughput.svg and latency.svg
    /// [default: chapters/performance, or target/perf-quick with --quick].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only the pipeline lessons' scaling: rewrite pipeline.md alone, in
    /// about a minute, and leave the tools' tables and charts as they are.
    #[arg(long)]
    pipeline_only: bool,
    /// What `cargo bench` passes to every benchmark.
    #[arg(long, hide = true)]
    bench: bool,
}

/// The cargo profile this binary was built with, from where it lives:
/// target/<profile dir>/deps/perf-HASH ("debug" is the dev profile's dir).
fn cargo_profile() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .and_then(|profile| profile.file_name())
        .map_or("release".into(), |name| name.to_string_lossy().into_owned());
    if dir == "debug" { "dev".into() } else { dir }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = workbook_perf::workspace_root();
    let config = Config {
        quick: args.quick,
        repetitions: usize::from(args.repetitions.unwrap_or(if args.quick { 1 } else { 15 })),
        profile: cargo_profile(),
        pipeline_only: args.pipeline_only,
        out: args.out.unwrap_or_else(|| {
            if args.quick {
                root.join("target/perf-quick")
            } else {
                root.join("chapters/performance")
            }
        }),
    };
    match workbook_perf::run(&config) {
        Ok(results) => {
            if !config.pipeline_only {
                println!("{}", report::markdown(&results));
            }
            println!("{}", report::pipeline_markdown(&results));
            println!("Written to {}", config.out.display());
            let short = report::short_rows(&results);
            if short.is_empty() {
                println!("Every row is within the bar.");
            } else {
                println!("Rows where Rust misses the bar (marked ✗ in the tables):");
                for row in short {
                    println!("  {:?}: Rust/C {:.3}", row.case, row.ratio());
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("perf: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
