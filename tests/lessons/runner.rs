//! The `workbook` runner as a learner uses it: list, run a lesson, Ctrl-C.
//! Ports: offsets 8000 and 9000 (13555–14559), which no lesson test uses.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn workbook() -> Command {
    common::examples_dir(); // Build the examples the runner starts.
    Command::new(env!("CARGO_BIN_EXE_workbook"))
}

#[test]
fn list_names_every_lesson() {
    let output = workbook().arg("list").output().expect("workbook list");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for lesson in workbook::catalogue::LESSONS {
        assert!(
            text.lines().any(|l| l.starts_with(lesson.name)),
            "{} missing:\n{text}",
            lesson.name
        );
    }
}

#[test]
fn an_unknown_lesson_is_a_one_line_error() {
    let output = workbook()
        .args(["run", "nosuch"])
        .output()
        .expect("workbook");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let names: Vec<_> = workbook::catalogue::LESSONS
        .iter()
        .map(|l| l.name)
        .collect();
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
    let output = workbook()
        .args([
            "run",
            "pipeline-kill",
            "--port-offset",
            "9000",
            "--seed",
            "42",
        ])
        .arg("--no-build")
        .output()
        .expect("workbook run");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(output.status.success(), "{stdout}");
    for expected in [
        "cargo run --example tasksink2 -- --bind tcp://127.0.0.1:14558",
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
    let mut runner = workbook()
        .args(["run", "mspoller", "--port-offset", "8000", "--no-build"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("workbook run");
    // Let the lesson get going, as a learner would watch it for a moment.
    std::thread::sleep(Duration::from_millis(1500));
    workbook::runner::send_sigint(runner.id());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = runner.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > common::DEADLINE {
            let _ = runner.kill();
            panic!("the runner did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut runner.stdout.take().expect("piped"), &mut stdout)
        .expect("read");
    assert!(status.success(), "{status}\n{stdout}");
    assert!(stdout.contains("reader | task: "), "{stdout}");
    assert!(
        stdout.contains("workbook: Ctrl-C; stopping every process"),
        "{stdout}"
    );
    assert!(stdout.contains("workbook: lesson over; every process exited with status 0"));
}
