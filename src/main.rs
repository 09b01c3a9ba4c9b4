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

    let mut printer = Printer::new(plan.iter().map(|p| p.label.clone()).collect());
    let width = printer.width;
    printer.say(&format!(
        "workbook: lesson {} — {}",
        lesson.name, lesson.title
    ));
    for process in &plan {
        printer.say(&format!(
            "  {:width$}  {}",
            process.label,
            process.command_line()
        ));
    }
    if plan
        .iter()
        .any(|p| p.args.iter().any(|a| a.contains(runner::RUN_DIR)))
    {
        printer.say(&format!(
            "workbook: {} is a temporary folder of this run's own, removed when it ends",
            runner::RUN_DIR
        ));
    }
    if !plan.iter().any(|p| p.role == Role::Ends) {
        printer.say("workbook: this lesson runs until you press Ctrl-C");
    }
    let options = runner::Options {
        bin_dir: examples_dir()?,
        deadline: None,
        grace: Duration::from_secs(5),
        temp_dir: None,
    };
    // Whatever stops the lesson (Ctrl-C, SIGTERM, SIGHUP, the end of the
    // lesson, a closed stdout), `runner::run` stops every process first.
    let outcome = runner::run(&plan, &options, |event| printer.print(event, &plan))?;
    printer.finish();
    if printer.closed {
        // Whoever read our output has gone (`| head`): stop quietly, as cat does.
        return Ok(true);
    }

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
        if let Some(label) = &printer.port_taken {
            let Ports::Offset(offset) = settings.ports else {
                unreachable!("the command line sets an offset")
            };
            eprintln!(
                "workbook: {label} could not bind: that port is taken, perhaps by this lesson \
                 still running elsewhere. Stop that, or run this one on other ports: \
                 cargo run -- run {name} --port-offset {}",
                offset + 100
            );
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

/// Prints each process's output after its label, a whole line at a time: a
/// partial line (the sink's progress dots) waits for its end, so lines of
/// different processes never cut into each other.
struct Printer {
    labels: Vec<String>,
    width: usize,
    colour: bool,
    /// Each process's unfinished stdout and stderr line.
    partial: Vec<[String; 2]>,
    /// Our stdout was closed: print nothing more, stop the lesson.
    closed: bool,
    /// The process that reported a port already in use.
    port_taken: Option<String>,
}

const COLOURS: [&str; 6] = ["36", "33", "35", "32", "34", "31"];

impl Printer {
    fn new(labels: Vec<String>) -> Self {
        let width = labels.iter().map(String::len).max().unwrap_or(0);
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer {
            partial: vec![Default::default(); labels.len()],
            labels,
            width,
            colour,
            closed: false,
            port_taken: None,
        }
    }

    fn label(&self, process: usize, stream: Stream) -> String {
        let mut text = format!("{:>width$} |", self.labels[process], width = self.width);
        if self.colour {
            text = format!("\x1b[{}m{text}\x1b[0m", COLOURS[process % COLOURS.len()]);
        }
        match stream {
            Stream::Stdout => text + " ",
            Stream::Stderr => text + " (stderr) ",
        }
    }

    /// Print `line` (with its newline) after the process's label; a write
    /// error means our reader has gone.
    fn line(&mut self, process: usize, stream: Stream, line: &str) {
        if stream == Stream::Stderr && line.contains("Address already in use") {
            self.port_taken = Some(self.labels[process].clone());
        }
        if self.closed {
            return;
        }
        let label = self.label(process, stream);
        let mut stdout = std::io::stdout().lock();
        if write!(stdout, "{label}{line}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            self.closed = true;
        }
    }

    fn say(&mut self, text: &str) {
        if !self.closed && writeln!(std::io::stdout(), "{text}").is_err() {
            self.closed = true;
        }
    }

    /// Print what is left of a stream's unfinished line: once its pipe has
    /// closed, nothing more can come to finish it.
    fn flush(&mut self, process: usize, stream: Stream) {
        let index = usize::from(stream == Stream::Stderr);
        let rest = std::mem::take(&mut self.partial[process][index]);
        if !rest.is_empty() {
            self.line(process, stream, &(rest + "\n"));
        }
    }

    /// The lesson is over: print every unfinished line.
    fn finish(&mut self) {
        for process in 0..self.labels.len() {
            self.flush(process, Stream::Stdout);
            self.flush(process, Stream::Stderr);
        }
    }

    fn print(&mut self, event: Event, plan: &[catalogue::Planned]) -> Flow {
        match event {
            Event::Output {
                process,
                stream,
                data,
            } => {
                let index = usize::from(stream == Stream::Stderr);
                let mut pending = std::mem::take(&mut self.partial[process][index]);
                pending.push_str(&String::from_utf8_lossy(data));
                let mut lines = pending.split_inclusive('\n').peekable();
                while let Some(line) = lines.next() {
                    if line.ends_with('\n') {
                        self.line(process, stream, line);
                    } else {
                        debug_assert!(lines.peek().is_none());
                        self.partial[process][index] = line.to_string();
                    }
                }
            }
            // A process may exit before its last output has been read: an
            // unfinished line is printed when its pipe closes, not before.
            Event::Closed { process, stream } => self.flush(process, stream),
            Event::Stopping { why } => match why {
                Ending::Finished => self.say("workbook: lesson finished; stopping the rest"),
                Ending::Interrupted => self.say("workbook: interrupted; stopping every process"),
                Ending::Failed { process } => self.say(&format!(
                    "workbook: {} failed; stopping every process",
                    plan[process].label
                )),
                Ending::Observer | Ending::TimedOut => {}
            },
            Event::Exited { .. } => {}
        }
        if self.closed {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}
