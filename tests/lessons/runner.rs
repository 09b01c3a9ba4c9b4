//! The `workbook` runner as a learner uses it: list, run a lesson, Ctrl-C; and
//! whatever ends it (a closed pipe, SIGTERM, SIGHUP, SIGKILL, a panic), no
//! example outlives it. Each run is moved onto the test's own block of ports
//! with `--port-offset`, as a learner would move a lesson beside another.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{self, PortBlock};

fn workbook() -> Command {
    harness::examples_dir(); // Build the examples the runner starts.
    Command::new(env!("CARGO_BIN_EXE_workbook"))
}

#[test]
fn list_shows_every_lesson_under_its_chapter_in_the_books_order() {
    let output = workbook().arg("list").output().expect("workbook list");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    // The listing, line by line, must hold each chapter's heading followed by
    // its lessons ("  NAME  TITLE  EXAMPLES"), in the catalogue's order.
    let mut lines = text.lines();
    for chapter in workbook::catalogue::CHAPTERS {
        assert!(
            lines.any(|line| line == chapter.title),
            "no heading {:?} in order:\n{text}",
            chapter.title
        );
        for lesson in chapter.lessons {
            let line = lines.next().unwrap_or_default();
            let words: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(
                words[..2],
                [lesson.name, lesson.title],
                "{line:?} under {:?}:\n{text}",
                chapter.title
            );
        }
    }
    // The title column is aligned: every lesson's title starts at one column.
    let columns: Vec<usize> = workbook::catalogue::lessons()
        .map(|lesson| {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{} ", lesson.name)));
            line.and_then(|l| l.find(lesson.title))
                .expect("a listed title")
        })
        .collect();
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{text}"
    );
    assert!(
        text.contains("cargo make serve"),
        "where the book is:\n{text}"
    );
}

#[test]
fn an_unknown_lesson_is_a_one_line_error() {
    let output = workbook()
        .args(["run", "nosuch"])
        .output()
        .expect("workbook");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let names: Vec<_> = workbook::catalogue::lessons().map(|l| l.name).collect();
    assert_eq!(
        stderr,
        format!(
            "workbook: error: no lesson \"nosuch\"; the lessons are: {}\n",
            names.join(", ")
        )
    );
}

#[test]
fn run_starts_a_lesson_labels_its_output_and_ends_with_it() {
    let ports = PortBlock::new();
    let offset = ports.offset_for("pipeline-kill").to_string();
    let output = workbook()
        .args(["run", "pipeline-kill", "--port-offset", &offset])
        .args(["--seed", "42", "--no-build"])
        .output()
        .expect("workbook run");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(output.status.success(), "{stdout}");
    // The sink binds the lesson's second port (5558 in the guide).
    let sink = format!("cargo run --example tasksink2 -- --bind {}", ports.bind(1));
    // The sink's progress dots arrive one at a time, between the workers'
    // lines; the runner keeps them together on one line, as the page shows.
    let progress = format!("      sink | {}\n", ":.........".repeat(10));
    for expected in [
        sink.as_str(),
        progress.as_str(),
        "ventilator | Total expected cost: 5096 msec",
        "      sink | Total elapsed time: ",
        "workbook: lesson finished; stopping the rest",
        "workbook: lesson over; every process exited with status 0",
    ] {
        assert!(stdout.contains(expected), "{expected:?} missing:\n{stdout}");
    }
    for worker in 1..=3 {
        assert!(stdout.contains(&format!("worker {worker} | ")), "{stdout}");
    }
}

#[test]
fn ctrl_c_stops_every_process_of_a_lesson_that_runs_until_stopped() {
    let offset = PortBlock::new().offset_for("mspoller").to_string();
    let mut runner = workbook()
        .args(["run", "mspoller", "--port-offset", &offset, "--no-build"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("workbook run");
    // Let the lesson get going, as a learner would watch it for a moment.
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    while !workbook::runner::catches_sigint(runner.id()) {
        assert!(started.elapsed() < harness::DEADLINE, "no Ctrl-C handler");
        std::thread::sleep(Duration::from_millis(5));
    }
    workbook::runner::send_sigint(runner.id());
    let status = wait_for(&mut runner);
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut runner.stdout.take().expect("piped"), &mut stdout)
        .expect("read");
    assert!(status.success(), "{status}\n{stdout}");
    assert!(stdout.contains("reader | task: "), "{stdout}");
    assert!(
        stdout.contains("workbook: interrupted; stopping every process"),
        "{stdout}"
    );
    assert!(stdout.contains("workbook: lesson over; every process exited with status 0"));
}

/// The processes `runner` has started (Linux: /proc/PID/task/*/children).
fn children_of(runner: u32) -> Vec<u32> {
    let mut children = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{runner}/task")).expect("/proc") {
        let list = std::fs::read_to_string(task.expect("task").path().join("children"));
        children.extend(
            list.unwrap_or_default()
                .split_whitespace()
                .map(|pid| pid.parse::<u32>().expect("a pid")),
        );
    }
    children
}

/// Whether `pid` is still running (a zombie is not: it has exited).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.starts_with(" Z"))
    })
}

/// Wait (bounded) until none of `pids` is running.
fn assert_all_gone(pids: &[u32], after: &str) {
    let started = Instant::now();
    while pids.iter().any(|&pid| is_running(pid)) {
        let left: Vec<_> = pids.iter().filter(|&&pid| is_running(pid)).collect();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "examples {left:?} outlived the runner after {after}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Start `workbook run LESSON` on its own ports, and wait until it has started
/// every example (and they have printed something) and catches Ctrl-C.
fn start_runner(lesson: &str, stdout: Stdio) -> (std::process::Child, Vec<u32>) {
    let offset = PortBlock::new().offset_for(lesson).to_string();
    let mut runner = workbook()
        .args(["run", lesson, "--port-offset", &offset, "--no-build"])
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("workbook run");
    // The processes that run until stopped: mspoller's ventilator deals its
    // tasks and exits, sometimes within milliseconds, before it can be seen.
    let expected = workbook::catalogue::lesson(lesson)
        .expect("a lesson")
        .plan(&Default::default())
        .expect("a plan")
        .iter()
        .filter(|process| process.example != "taskvent")
        .count();
    let started = Instant::now();
    // Every child seen so far, in case one exits between two looks.
    let mut seen = std::collections::BTreeSet::new();
    let children = loop {
        seen.extend(children_of(runner.id()));
        if seen.len() >= expected && workbook::runner::catches_sigint(runner.id()) {
            break seen.into_iter().collect();
        }
        if started.elapsed() > harness::DEADLINE {
            let exited = runner.try_wait().ok().flatten();
            let _ = runner.kill();
            let mut stderr = String::new();
            if exited.is_some()
                && let Some(pipe) = runner.stderr.as_mut()
            {
                let _ = std::io::Read::read_to_string(pipe, &mut stderr);
            }
            panic!(
                "the runner did not start {lesson}: children seen {seen:?}, exited: \
                 {exited:?}, stderr: {stderr}"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (runner, children)
}

/// Wait (bounded) for the runner to exit.
fn wait_for(runner: &mut std::process::Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = runner.try_wait().expect("wait") {
            return status;
        }
        if started.elapsed() > harness::DEADLINE {
            let _ = runner.kill();
            panic!("the runner did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_closed_stdout_stops_the_runner_quietly_and_every_example_with_it() {
    // As `cargo run -- run hello | head -3`: read three lines, then go away.
    let (mut runner, children) = start_runner("hello", Stdio::piped());
    let stdout = runner.stdout.take().expect("piped");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    for _ in 0..3 {
        lines.next().expect("a line").expect("text");
    }
    drop(lines);
    let status = wait_for(&mut runner);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut runner.stderr.take().expect("piped"), &mut stderr)
        .expect("read");
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "", "quietly: no panic, no message");
    assert_all_gone(&children, "a closed stdout");
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_sighup_and_sigkill_on_the_runner_leave_no_example_running() {
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGKILL] {
        let (mut runner, children) = start_runner("mspoller", Stdio::null());
        // SAFETY: kill(2) on a child we have not reaped.
        unsafe { libc::kill(runner.id() as libc::pid_t, signal) };
        let status = wait_for(&mut runner);
        if signal == libc::SIGKILL {
            // Nothing could run in the runner: the kernel stops its examples.
            assert!(!status.success());
        } else {
            // Stopped as Ctrl-C stops it: every example exits with status 0.
            assert!(status.success(), "signal {signal}: {status}");
        }
        assert_all_gone(&children, &format!("signal {signal}"));
    }
}

#[test]
fn a_panic_while_a_lesson_runs_stops_its_examples() {
    use workbook::catalogue::{Ports, Settings};
    use workbook::runner::{self, Event};
    let ports = PortBlock::new();
    let settings = Settings {
        ports: Ports::Block(ports.first),
        ..Settings::default()
    };
    let plan = workbook::catalogue::lesson("hello")
        .expect("hello")
        .plan(&settings)
        .expect("a plan");
    let options = runner::Options {
        bin_dir: harness::examples_dir(),
        deadline: Some(harness::DEADLINE),
        grace: Duration::from_secs(5),
        temp_dir: None,
    };
    // The observer panics once the server has answered a request, so its port
    // is bound for sure.
    let outcome = std::panic::catch_unwind(|| {
        runner::run(&plan, &options, |event| {
            if let Event::Output { process: 0, .. } = event {
                panic!("an observer that fails");
            }
            runner::Flow::Continue
        })
    });
    assert!(outcome.is_err(), "the observer panicked");
    // hwserver is gone: its port can be bound again at once.
    let context = zmq::Context::new();
    let socket = harness::socket(&context, zmq::REP);
    socket
        .bind(&ports.bind(0))
        .expect("hwserver was stopped and its port is free");
}

#[test]
fn a_port_in_use_names_the_process_and_suggests_another_offset() {
    let ports = PortBlock::new();
    let offset = ports.offset_for("hello");
    let context = zmq::Context::new();
    let squatter = harness::socket(&context, zmq::REP);
    squatter.bind(&ports.bind(0)).expect("bind");
    let output = workbook()
        .args([
            "run",
            "hello",
            "--port-offset",
            &offset.to_string(),
            "--no-build",
        ])
        .output()
        .expect("workbook run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.contains(&format!(
            "workbook: server could not bind: that port is taken, perhaps by this lesson \
             still running elsewhere. Stop that, or run this one on other ports: \
             cargo run -- run hello --port-offset {}\n",
            offset + 100
        )),
        "{stderr}"
    );
}
