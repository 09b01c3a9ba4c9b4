//! The classroom exercises (classroom/, in rustlings' third-party format).
//!
//! - Each exercise and its solution are made from one source,
//!   classroom/source/NAME.rs: what lies between `//>exercise` and
//!   `//>solution` goes to exercises/NAME.rs only, what lies between
//!   `//>solution` and `//>end` to solutions/NAME.rs only, the rest to both.
//!   `UPDATE_EXERCISES=1 cargo test exercises` writes them.
//! - Every solution passes its tests; every exercise as shipped fails them,
//!   with a message, in bounded time (this is what rustlings' own
//!   `rustlings dev check --require-solutions` checks too, which CI runs).
//! - info.toml lists every exercise once, in the book's order, with a hint,
//!   and every lesson page ends with its exercises.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn classroom() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("classroom")
}

/// Every source, by exercise name.
fn sources() -> BTreeMap<String, String> {
    fs::read_dir(classroom().join("source"))
        .expect("classroom/source/")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, fs::read_to_string(&path).expect("a source"))
        })
        .collect()
}

/// The exercise and the solution a source makes, formatted by rustfmt.
fn split(name: &str, source: &str) -> (String, String) {
    #[derive(PartialEq)]
    enum Part {
        Both,
        Exercise,
        Solution,
    }
    let mut part = Part::Both;
    let (mut exercise, mut solution) = (String::new(), String::new());
    for line in source.lines() {
        match line.trim() {
            "//>exercise" => part = Part::Exercise,
            "//>solution" => part = Part::Solution,
            "//>end" => part = Part::Both,
            _ => {
                if part != Part::Solution {
                    exercise.push_str(line);
                    exercise.push('\n');
                }
                if part != Part::Exercise {
                    solution.push_str(line);
                    solution.push('\n');
                }
            }
        }
    }
    assert!(
        part == Part::Both,
        "{name}: a block is not closed with //>end"
    );
    (rustfmt(name, &exercise), rustfmt(name, &solution))
}

fn rustfmt(name: &str, text: &str) -> String {
    use std::io::Write as _;
    let mut rustfmt = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt runs");
    rustfmt
        .stdin
        .take()
        .expect("piped")
        .write_all(text.as_bytes())
        .expect("write to rustfmt");
    let output = rustfmt.wait_with_output().expect("rustfmt ends");
    assert!(
        output.status.success(),
        "{name}: rustfmt: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn exercises_and_solutions_are_made_from_their_sources() {
    let update = std::env::var_os("UPDATE_EXERCISES").is_some();
    let sources = sources();
    assert!(!sources.is_empty());
    for (name, source) in &sources {
        let (exercise, solution) = split(name, source);
        assert!(exercise != solution, "{name}: the exercise is its solution");
        assert!(
            exercise.contains("// TODO"),
            "{name}: no TODO marks the part to write"
        );
        assert!(
            !solution.contains("// TODO"),
            "{name}: the solution has a TODO left"
        );
        for (dir, text) in [("exercises", exercise), ("solutions", solution)] {
            let path = classroom().join(dir).join(format!("{name}.rs"));
            if update {
                fs::write(&path, &text).expect("write");
            } else {
                let committed = fs::read_to_string(&path).unwrap_or_default();
                assert!(
                    committed == text,
                    "{} is not what classroom/source/{name}.rs makes: edit the source, then \
                     run UPDATE_EXERCISES=1 cargo test exercises",
                    path.display()
                );
            }
        }
    }
    // Nothing in exercises/ or solutions/ that no source makes.
    for dir in ["exercises", "solutions"] {
        for entry in fs::read_dir(classroom().join(dir)).expect("a folder") {
            let path = entry.expect("entry").path();
            let name = path.file_stem().expect("a name").to_string_lossy();
            assert!(
                sources.contains_key(&*name),
                "{}: no source",
                path.display()
            );
        }
    }
}

/// One test executable of the classroom package, by bin name.
fn test_executables() -> BTreeMap<String, PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "test",
            "--quiet",
            "--no-run",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(classroom().join("Cargo.toml"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "building the exercises failed");
    let mut found = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let (Some(name), Some(executable)) = (
            json_field(line, "\"target\":{", "\"name\":\""),
            json_field(line, "", "\"executable\":\""),
        ) else {
            continue;
        };
        found.insert(name, PathBuf::from(executable));
    }
    found
}

/// The string value after `key` (itself after `within`) on a line of cargo's
/// JSON output; names and paths here hold no escaped quotes.
fn json_field(line: &str, within: &str, key: &str) -> Option<String> {
    let rest = &line[line.find(within)? + within.len()..];
    let value = &rest[rest.find(key)? + key.len()..];
    Some(value[..value.find('"')?].to_string())
}

/// Run a test executable to its end (at most 60 s); its success and output.
fn run_tests(executable: &Path) -> (bool, String) {
    let mut child = Command::new(executable)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tests start");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{} did not finish in 60 s", executable.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().expect("output");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (status.success(), text)
}

#[test]
fn every_solution_passes_and_every_exercise_as_shipped_fails() {
    let executables = test_executables();
    let names: Vec<String> = sources().into_keys().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Side by side, as rustlings runs them: most of the time is the shipped
    // exercises' tests waiting out their bounded timeouts (about 90 s one
    // after another). Sixteen at a time, not all 86 executables at once: under
    // `cargo make stress` four copies of that burst starved the other tests'
    // threads for seconds.
    std::thread::scope(|scope| {
        for _ in 0..24 {
            scope.spawn(|| {
                loop {
                    let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(name) = names.get(taken) else { break };
                    let (passed, output) = run_tests(&executables[&format!("{name}_sol")]);
                    assert!(passed, "the solution of {name} fails its tests:\n{output}");
                    let (passed, output) = run_tests(&executables[name]);
                    assert!(!passed, "{name} as shipped already passes its tests");
                    assert!(
                        output.contains("panicked at") && output.contains("test result: FAILED"),
                        "{name} as shipped fails without saying why:\n{output}"
                    );
                }
            });
        }
    });
}

/// The exercises in info.toml, in order, with their hints.
fn info_exercises() -> Vec<(String, String)> {
    let info = fs::read_to_string(classroom().join("info.toml")).expect("info.toml");
    let mut exercises = Vec::new();
    for entry in info.split("[[exercises]]").skip(1) {
        let name = entry
            .lines()
            .find_map(|line| line.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("a name");
        let hint = entry
            .split_once("hint = \"\"\"")
            .and_then(|(_, rest)| rest.split_once("\"\"\""))
            .map(|(hint, _)| hint.trim().to_string())
            .unwrap_or_default();
        exercises.push((name.to_string(), hint));
    }
    exercises
}

#[test]
fn info_lists_every_exercise_once_in_the_books_order_with_a_hint_and_its_page() {
    let exercises = info_exercises();
    let names: Vec<&str> = exercises.iter().map(|(name, _)| name.as_str()).collect();
    let sources = sources();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        sources.keys().map(String::as_str).collect::<Vec<_>>(),
        "info.toml lists each source once"
    );
    // The book's order: the order of the pages the catalogue lists.
    let mut pages: Vec<&str> = Vec::new();
    for lesson in workbook::catalogue::lessons() {
        if !pages.contains(&lesson.page) {
            pages.push(lesson.page);
        }
    }
    let mut last_page = 0;
    let mut pages_with_exercises = std::collections::BTreeSet::new();
    for (name, hint) in &exercises {
        assert!(hint.len() > 40, "{name}: a hint that teaches");
        // An exercise opens by naming its page's title.
        let source = &sources[name];
        let page = pages
            .iter()
            .position(|page| {
                let text = fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("chapters")
                        .join(page),
                )
                .expect("a page");
                let title = text
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("# ");
                source.contains(&format!("\"{title}\""))
            })
            .unwrap_or_else(|| panic!("{name}: its opening comment names no lesson page's title"));
        assert!(page >= last_page, "{name} is out of the book's order");
        last_page = page;
        pages_with_exercises.insert(page);
        let text = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("chapters")
                .join(pages[page]),
        )
        .expect("a page");
        assert!(
            text.contains(&format!("rustlings run {name}")),
            "{}: the page does not end with its exercise {name}",
            pages[page]
        );
    }
    for (index, page) in pages.iter().enumerate() {
        assert!(
            pages_with_exercises.contains(&index),
            "chapters/{page} has no exercise: every lesson page ends with one"
        );
    }
}
