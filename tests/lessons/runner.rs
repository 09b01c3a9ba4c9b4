//! The `workbook` runner as a learner uses it: list, run a lesson, Ctrl-C.
//! Each run is moved onto the test's own block of ports with `--port-offset`,
//! as a learner would move a lesson beside another.

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
    for expected in [
        sink.as_str(),
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
    while !harness::catches_sigint(runner.id()) {
        assert!(started.elapsed() < harness::DEADLINE, "no Ctrl-C handler");
        std::thread::sleep(Duration::from_millis(5));
    }
    workbook::runner::send_sigint(runner.id());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = runner.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > harness::DEADLINE {
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
