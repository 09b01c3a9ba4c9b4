//! Pipeline scaling: the pipeline lessons (ventilator, N workers, sink) run
//! through the same runner as `cargo run -- run pipeline`, timed by their sink
//! against the ideal, the total workload shared perfectly among N workers.
//! Two ways of dealing the same seeded batch: chapter 1's round-robin
//! (`pipeline`) and chapter 3's load-balanced (`lbpipeline`).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, bail};

use workbook::catalogue::{self, Settings};
use workbook::runner::{self, Event, Flow, Options};

/// Every scaling run uses the same workloads.
const SEED: u64 = 42;

/// The guide's ports shifted clear of the tests' and the other measurements'.
const PORT_OFFSET: u16 = 21_500;

/// How the ventilator hands out the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dealing {
    /// Chapter 1: PUSH deals every task ahead, in turn (lesson `pipeline`).
    RoundRobin,
    /// Chapter 3: ROUTER hands a task to whichever worker asks (lesson `lbpipeline`).
    LoadBalanced,
}

impl Dealing {
    pub const BOTH: [Dealing; 2] = [Dealing::RoundRobin, Dealing::LoadBalanced];

    /// As the table names it.
    pub fn name(self) -> &'static str {
        match self {
            Dealing::RoundRobin => "round-robin",
            Dealing::LoadBalanced => "load-balanced",
        }
    }

    /// The lesson, its ventilator and its worker.
    fn lesson(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Dealing::RoundRobin => ("pipeline", "taskvent", "taskwork"),
            Dealing::LoadBalanced => ("lbpipeline", "lbtaskvent", "lbtaskwork"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaling {
    pub dealing: Dealing,
    pub workers: usize,
    /// The sum of all task workloads, as the ventilator reports it.
    pub total_ms: u64,
    /// The batch's time as the sink reports it.
    pub elapsed_ms: u64,
    /// The largest sum of workloads one worker was dealt: the batch cannot
    /// end before this. Round-robin dealing of random workloads is uneven.
    pub busiest_ms: u64,
}

impl Scaling {
    /// The total workload divided evenly among the workers.
    pub fn ideal_ms(&self) -> f64 {
        self.total_ms as f64 / self.workers as f64
    }

    /// Ideal over actual: 1.0 when N workers are N times as fast as one.
    pub fn efficiency(&self) -> f64 {
        self.ideal_ms() / self.elapsed_ms.max(1) as f64
    }
}

/// Run the pipeline lesson that deals as `dealing` with `workers` workers;
/// the examples are in `bin_dir`.
pub fn measure(bin_dir: &Path, dealing: Dealing, workers: usize) -> anyhow::Result<Scaling> {
    let (name, ventilator, worker) = dealing.lesson();
    let lesson = catalogue::lesson(name).with_context(|| format!("no {name} lesson"))?;
    let settings = Settings {
        workers,
        ports: catalogue::Ports::Offset(PORT_OFFSET),
        seed: Some(SEED),
    };
    let plan = lesson.plan(&settings)?;
    let options = Options {
        bin_dir: bin_dir.to_path_buf(),
        deadline: Some(Duration::from_secs(60)),
        grace: Duration::from_secs(5),
        temp_dir: None,
    };
    let mut stdout = vec![String::new(); plan.len()];
    let outcome = runner::run(&plan, &options, |event| {
        if let Event::Output {
            process,
            stream: runner::Stream::Stdout,
            data,
        } = event
        {
            stdout[process].push_str(&String::from_utf8_lossy(data));
        }
        Flow::Continue
    })?;
    if !outcome.success() {
        bail!("the {name} lesson with {workers} workers did not finish cleanly");
    }
    let printed = |example: &str| {
        plan.iter()
            .zip(&stdout)
            .filter(|(process, _)| process.example == example)
            .map(|(_, output)| output.as_str())
            .collect::<String>()
    };
    let busiest_ms = plan
        .iter()
        .zip(&stdout)
        .filter(|(process, _)| process.example == worker)
        .map(|(_, output)| workloads(output))
        .max()
        .unwrap_or(0);
    Ok(Scaling {
        dealing,
        workers,
        total_ms: msec_after(&printed(ventilator), "Total expected cost: ")?,
        elapsed_ms: msec_after(&printed("tasksink"), "Total elapsed time: ")?,
        busiest_ms,
    })
}

/// The sum of the workloads a worker printed, one "N." line per task.
fn workloads(output: &str) -> u64 {
    output
        .lines()
        .filter_map(|line| line.trim().strip_suffix('.')?.parse::<u64>().ok())
        .sum()
}

/// The number in "PREFIX 1234 msec".
fn msec_after(output: &str, prefix: &str) -> anyhow::Result<u64> {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix(prefix))
        .and_then(|rest| rest.strip_suffix(" msec"))
        .and_then(|number| number.trim().parse().ok())
        .with_context(|| format!("no \"{prefix}… msec\" line in:\n{output}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lines_the_lesson_prints() {
        let output = "Sending tasks to workers…\nTotal expected cost: 5096 msec\n";
        assert_eq!(msec_after(output, "Total expected cost: ").unwrap(), 5096);
        assert!(msec_after("nothing", "Total elapsed time: ").is_err());
        assert_eq!(workloads("5.\n17.\n3.\n"), 25);
    }

    #[test]
    fn efficiency_is_ideal_over_actual() {
        let four = Scaling {
            dealing: Dealing::LoadBalanced,
            workers: 4,
            total_ms: 4000,
            elapsed_ms: 1250,
            busiest_ms: 1100,
        };
        assert_eq!(four.ideal_ms(), 1000.0);
        assert_eq!(four.efficiency(), 0.8);
    }
}
