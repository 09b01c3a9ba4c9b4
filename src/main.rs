//! `workbook`: list the lessons, or run one with every process it needs.
//!
//!   cargo run -- list
//!   cargo run -- run weather
//!   cargo run -- run pipeline --workers 5

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use anyhow::Context as _;
use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand};
use workbook::catalogue::{self, CHAPTERS, Ports, Role, Settings};
use workbook::runner::{self, Ending, Event, Flow, Stream};

/// Run the ZeroMQ workbook's lessons: every process of a lesson at once, with
/// labelled output. Ctrl-C stops them all.
#[derive(Parser)]
#[command(name = "workbook")]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// List the lessons.
    List,
    /// Start every process of a lesson; stop when it is over, or on Ctrl-C.
    Run {
        /// The lesson (see `list`).
        lesson: String,
        /// How many workers, in lessons that have workers (3 unless told).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64).map(usize::from))]
        workers: Option<usize>,
        /// Add this to every TCP port, to run a lesson beside another one.
        /// Keep the ports below 32768, where Linux picks outgoing ports.
        #[arg(long, default_value_t = 0)]
        port_offset: u16,
        /// Seed the examples' random numbers, to repeat a run exactly.
        #[arg(long)]
        seed: Option<u64>,
        /// Use the examples as already built, without running `cargo build`.
        #[arg(long)]
        no_build: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Action::List => {
            list();
            Ok(true)
        }
        Action::Run {
            lesson,
            workers,
            port_offset,
            seed,
            no_build,
        } => run(
            &lesson,
            workers,
            &Settings {
                workers: workers.unwrap_or(catalogue::DEFAULT_WORKERS),
                ports: Ports::Offset(port_offset),
                seed,
            },
            no_build,
        ),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("workbook: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn list() {
    let name_width = catalogue::lessons()
        .map(|l| l.name.len())
        .max()
        .unwrap_or(0);
    let title_width = catalogue::lessons()
        .map(|l| l.title.chars().count())
        .max()
        .unwrap_or(0);
    for (index, chapter) in CHAPTERS.iter().enumerate() {
        if index > 0 {
            println!();
        }
        println!("{}", chapter.title);
        for lesson in chapter.lessons {
            println!(
                "  {:name_width$}  {:title_width$}  {}",
                lesson.name,
                lesson.title,
                lesson.examples().join(", "),
            );
        }
    }
    println!();
    println!("Run one: cargo run -- run NAME (Ctrl-C stops it).");
    println!("Read its page: cargo make serve, then open http://localhost:3000");
    println!("(the pages' Markdown is in the chapters/ folder of this repository).");
}

fn run(
    name: &str,
    workers: Option<usize>,
    settings: &Settings,
    no_build: bool,
) -> anyhow::Result<bool> {
    let lesson = catalogue::lesson(name).with_context(|| {
        let names: Vec<_> = catalogue::lessons().map(|l| l.name).collect();
        format!("no lesson {name:?}; the lessons are: {}", names.join(", "))
    })?;
    anyhow::ensure!(
        workers.is_none() || lesson.has_workers(),
        "lesson {name} has no workers for --workers to set"
    );
    let plan = lesson.plan(settings)?;
    if !no_build {
        build(&lesson.examples())?;
    }
    workbook::interrupt::install()?;

    let width = plan.iter().map(|p| p.label.len()).max().unwrap_or(0);
    println!("workbook: lesson {} — {}", lesson.name, lesson.title);
    for process in &plan {
        println!("  {:width$}  {}", process.label, process.command_line());
    }
    if !plan.iter().any(|p| p.role == Role::Ends) {
        println!("workbook: this lesson runs until you press Ctrl-C");
    }

    let mut printer = Printer::new(plan.iter().map(|p| p.label.clone()).collect());
    let options = runner::Options {
        bin_dir: examples_dir()?,
        deadline: None,
        grace: Duration::from_secs(5),
    };
    let outcome = runner::run(&plan, &options, |event| {
        printer.print(event, &plan);
        Flow::Continue
    })?;
    printer.end_line();

    let success = outcome.success();
    if success {
        println!("workbook: lesson over; every process exited with status 0");
    } else {
        for (process, status) in plan.iter().zip(&outcome.statuses) {
            match status {
                Some(status) if status.success() => {}
                Some(status) => eprintln!("workbook: {} {status}", process.label),
                None => eprintln!("workbook: {} did not stop and was killed", process.label),
            }
        }
    }
    Ok(success)
}

/// Build the lesson's examples with cargo, in the profile this binary was built in.
fn build(examples: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    for example in examples {
        command.args(["--example", example]);
    }
    let status = command
        .status()
        .context("cannot run cargo to build the examples")?;
    anyhow::ensure!(status.success(), "building the examples failed ({status})");
    Ok(())
}

/// target/<profile>/examples, beside this binary.
fn examples_dir() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the workbook binary")?;
    Ok(exe
        .parent()
        .context("the workbook binary has no directory")?
        .join("examples"))
}

/// Prints each process's output after its label. A chunk that does not end a
/// line (a progress bar) stays on the line until another process speaks.
struct Printer {
    labels: Vec<String>,
    width: usize,
    colour: bool,
    /// The process whose line is open on the terminal.
    open: Option<(usize, Stream)>,
}

const COLOURS: [&str; 6] = ["36", "33", "35", "32", "34", "31"];

impl Printer {
    fn new(labels: Vec<String>) -> Self {
        let width = labels.iter().map(String::len).max().unwrap_or(0);
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer {
            labels,
            width,
            colour,
            open: None,
        }
    }

    fn label(&self, process: usize) -> String {
        let text = format!("{:>width$} |", self.labels[process], width = self.width);
        if self.colour {
            format!("\x1b[{}m{text}\x1b[0m ", COLOURS[process % COLOURS.len()])
        } else {
            format!("{text} ")
        }
    }

    fn end_line(&mut self) {
        if self.open.take().is_some() {
            println!();
        }
    }

    fn print(&mut self, event: Event, plan: &[catalogue::Planned]) {
        match event {
            Event::Output {
                process,
                stream,
                data,
            } => {
                let text = String::from_utf8_lossy(data);
                for piece in text.split_inclusive('\n') {
                    if self.open != Some((process, stream)) {
                        self.end_line();
                        let label = self.label(process);
                        let _ = match stream {
                            Stream::Stdout => write!(std::io::stdout(), "{label}"),
                            Stream::Stderr => write!(std::io::stdout(), "{label}(stderr) "),
                        };
                    }
                    print!("{piece}");
                    self.open = (!piece.ends_with('\n')).then_some((process, stream));
                }
                let _ = std::io::stdout().flush();
            }
            Event::Stopping { why } => {
                self.end_line();
                match why {
                    Ending::Finished => println!("workbook: lesson finished; stopping the rest"),
                    Ending::Interrupted => println!("workbook: Ctrl-C; stopping every process"),
                    Ending::Failed { process } => println!(
                        "workbook: {} failed; stopping every process",
                        plan[process].label
                    ),
                    Ending::Observer | Ending::TimedOut => {}
                }
            }
            Event::Exited { .. } => {}
        }
    }
}
