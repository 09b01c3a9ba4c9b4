//! The documentation test: what the book shows is what the code does.
//!
//! - every example has a page that includes its code by anchor, and opens with
//!   a comment that says how to run it;
//! - every `{{#include}}` resolves (mdBook itself only logs a missing file or
//!   anchor, and builds anyway);
//! - every snapshot on a page is included whole, is a snapshot the tests check,
//!   and every lesson's page shows its lesson's snapshot;
//! - every command a page, the README or CONTRIBUTING.md shows names a real
//!   example, lesson or cargo-make task.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use workbook::catalogue;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every Markdown page under chapters/, with its text.
fn pages() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).expect("chapters/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = fs::read_to_string(&path).expect("page");
                found.push((path, text));
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("chapters"), &mut found);
    found.sort();
    found
}

/// The example names in examples/.
fn examples() -> BTreeSet<String> {
    fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| {
            let path = e.expect("entry").path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect()
}

/// One `{{#include PATH[:SELECTOR]}}` or `{{#rustdoc_include …}}` on a page.
struct Include {
    page: PathBuf,
    /// Resolved against the page's directory.
    file: PathBuf,
    selector: Option<String>,
    /// rustdoc_include: the whole file, the rest hidden behind the eye button.
    whole_file: bool,
}

fn includes(page: &Path, text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (directive, whole_file) in [("{{#include ", false), ("{{#rustdoc_include ", true)] {
        for (at, _) in text.match_indices(directive) {
            let rest = &text[at + directive.len()..];
            let end = rest.find("}}").expect("include closed with }}");
            let target = rest[..end].trim();
            let (path, selector) = match target.split_once(':') {
                Some((path, selector)) => (path, Some(selector.to_string())),
                None => (target, None),
            };
            found.push(Include {
                page: page.to_path_buf(),
                file: page.parent().expect("page dir").join(path),
                selector,
                whole_file,
            });
        }
    }
    found
}

/// What an include puts on the page; panics if the file or anchor is missing.
fn resolve(include: &Include) -> String {
    let where_ = format!(
        "{} includes {}",
        include.page.display(),
        include.file.display()
    );
    let text = fs::read_to_string(&include.file).unwrap_or_else(|e| panic!("{where_}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let Some(selector) = &include.selector else {
        return text;
    };
    let is_number = |s: &str| s.is_empty() || s.chars().all(|c| c.is_ascii_digit());
    let (first, last) = selector.split_once(':').unwrap_or((selector, selector));
    if is_number(first) && is_number(last) {
        let from = first.parse::<usize>().map_or(0, |n| n - 1);
        let to = last
            .parse::<usize>()
            .unwrap_or(lines.len())
            .min(lines.len());
        assert!(from < to, "{where_}: lines {selector} are past the end");
        return lines[from..to].join("\n") + "\n";
    }
    let start = format!("ANCHOR: {selector}");
    let end = format!("ANCHOR_END: {selector}");
    let from = lines
        .iter()
        .position(|l| l.trim_end().ends_with(&start))
        .unwrap_or_else(|| panic!("{where_}: no anchor {selector:?}"));
    let to = lines
        .iter()
        .position(|l| l.trim_end().ends_with(&end))
        .unwrap_or_else(|| panic!("{where_}: anchor {selector:?} is not closed"));
    assert!(
        from < to,
        "{where_}: anchor {selector:?} ends before it starts"
    );
    lines[from + 1..to].join("\n") + "\n"
}

/// A snapshot's body: what follows its `---` header.
fn snapshot_body(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("snapshot");
    let mut parts = text.splitn(3, "---\n");
    assert_eq!(parts.next(), Some(""), "{}: no header", path.display());
    parts.next();
    parts.next().expect("body").to_string()
}

#[test]
fn every_include_resolves() {
    let mut count = 0;
    for (page, text) in pages() {
        for include in includes(&page, &text) {
            let shown = resolve(&include);
            assert!(
                !shown.trim().is_empty(),
                "{}: includes nothing",
                page.display()
            );
            count += 1;
        }
    }
    assert!(count > 0, "the pages include nothing at all");
}

#[test]
fn every_example_opens_with_how_to_run_it_and_has_a_page() {
    let pages = pages();
    for example in examples() {
        let path = root().join("examples").join(format!("{example}.rs"));
        let source = fs::read_to_string(&path).expect("example");
        assert!(
            source.starts_with("//!"),
            "{example}.rs: no opening comment"
        );
        let opening: String = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect();
        // The measuring tools are run with --release, as their figures mean
        // something only then.
        assert!(
            opening.contains(&format!("cargo run --example {example}"))
                || opening.contains(&format!("cargo run --release --example {example}")),
            "{example}.rs: the opening comment does not say how to run it"
        );
        let included = pages.iter().any(|(page, text)| {
            includes(page, text)
                .iter()
                .any(|i| i.file.ends_with(format!("examples/{example}.rs")) && i.selector.is_some())
        });
        assert!(included, "{example}.rs: no page includes it by anchor");
    }
    // Every listing of an example carries its whole file (behind the eye
    // button), so a reader can always see the rest.
    for (page, text) in &pages {
        for include in includes(page, text) {
            if include
                .file
                .parent()
                .is_some_and(|dir| dir.ends_with("examples"))
            {
                assert!(
                    include.whole_file,
                    "{}: include {} with rustdoc_include, so the whole file is there",
                    page.display(),
                    include.file.display()
                );
            }
        }
    }
}

#[test]
fn the_helpers_page_shows_every_helper_the_examples_call() {
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs");
    let page = fs::read_to_string(root().join("chapters/helpers.md")).expect("helpers.md");
    // The helpers are what src/lib.rs re-exports (`pub use module::{a, b};`),
    // and `main`.
    let mut helpers = vec!["main".to_string()];
    for item in lib.split("pub use ").skip(1) {
        let item = &item[..item.find(';').expect("pub use …;")];
        let names = item.rsplit("::").next().expect("a path");
        helpers.extend(
            names
                .trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace())
                .split(',')
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty()),
        );
    }
    assert!(helpers.len() > 10, "{helpers:?}");
    for helper in helpers {
        assert!(
            page.contains(&format!("workbook::{helper}")),
            "chapters/helpers.md does not present workbook::{helper}"
        );
    }
    // Every example's own calls into the workbook are among them.
    for example in examples() {
        let source =
            fs::read_to_string(root().join(format!("examples/{example}.rs"))).expect("example");
        for name in words_after(&source, "workbook::") {
            let known = page.contains(&format!("workbook::{name}")) || name == "perf"; // The measuring tools' own page explains perf.
            assert!(
                known,
                "{example}.rs calls workbook::{name}, which helpers.md does not show"
            );
        }
    }
}

#[test]
fn every_snapshot_shown_is_whole_and_tested_and_every_lesson_shows_its_own() {
    let snapshots = root().join("tests/snapshots");
    let mut shown = BTreeSet::new();
    for (page, text) in pages() {
        for include in includes(&page, &text) {
            if include.file.extension().is_some_and(|e| e == "snap") {
                let name = include.file.file_name().expect("name").to_owned();
                let file = snapshots.join(&name);
                assert_eq!(
                    resolve(&include),
                    snapshot_body(&file),
                    "{}: shows part of {}, not its whole body",
                    page.display(),
                    file.display()
                );
                shown.insert(name.to_string_lossy().into_owned());
            }
        }
    }
    for lesson in catalogue::lessons() {
        let page = root().join("chapters").join(lesson.page);
        let text = fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("lesson {}: page {}: {e}", lesson.name, page.display()));
        let snapshot = format!("{}.snap", lesson.name);
        assert!(
            includes(&page, &text)
                .iter()
                .any(|i| i.file.ends_with(format!("tests/snapshots/{snapshot}"))),
            "{} does not show the lesson's output, {snapshot}",
            lesson.page
        );
        for example in lesson.examples() {
            assert!(
                includes(&page, &text)
                    .iter()
                    .any(|i| i.file.ends_with(format!("examples/{example}.rs"))),
                "{} does not include {example}.rs",
                lesson.page
            );
        }
        let summary = fs::read_to_string(root().join("chapters/SUMMARY.md")).expect("SUMMARY");
        assert!(
            summary.contains(&format!("({})", lesson.page)),
            "{} is not in SUMMARY.md",
            lesson.page
        );
    }
    // Every snapshot the tests keep is one the book shows, so none is stale.
    for entry in fs::read_dir(&snapshots).expect("snapshots") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".snap") {
            assert!(
                shown.contains(&name),
                "tests/snapshots/{name} is on no page"
            );
        }
    }
}

/// The words after `prefix` wherever it appears in `text`.
fn words_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn every_command_shown_names_something_real() {
    let examples = examples();
    let makefile = fs::read_to_string(root().join("Makefile.toml")).expect("Makefile.toml");
    let mut documents = pages();
    for document in ["README.md", "CONTRIBUTING.md"] {
        documents.push((
            root().join(document),
            fs::read_to_string(root().join(document)).expect(document),
        ));
    }
    let mut checked = 0;
    for (document, text) in &documents {
        let where_ = document.display();
        for prefix in ["cargo run --example ", "cargo run --release --example "] {
            for name in words_after(text, prefix) {
                assert!(examples.contains(name), "{where_}: no example {name:?}");
                checked += 1;
            }
        }
        for prefix in ["cargo run -- run ", "cargo run --release -- run "] {
            for name in words_after(text, prefix) {
                assert!(
                    catalogue::lessons().any(|l| l.name == name),
                    "{where_}: no lesson {name:?}"
                );
                checked += 1;
            }
        }
        for name in words_after(text, "cargo bench --bench ") {
            assert!(
                root()
                    .join(format!("benches/{name}/benches/{name}.rs"))
                    .exists(),
                "{where_}: no benchmark {name:?}"
            );
            checked += 1;
        }
        for task in words_after(text, "cargo make ") {
            assert!(
                makefile.contains(&format!("[tasks.{task}]")),
                "{where_}: no cargo-make task {task:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no commands found at all");
    for lesson in catalogue::lessons() {
        assert!(
            makefile.contains(&format!("[tasks.{}]", lesson.name)),
            "Makefile.toml has no task for lesson {}",
            lesson.name
        );
    }
}

#[test]
fn the_performance_page_shows_the_benchmarks_own_figures() {
    let chapters = root().join("chapters");
    let page = fs::read_to_string(chapters.join("performance.md")).expect("performance.md");
    assert!(
        page.contains("{{#include performance/results.md}}"),
        "the page includes the tables the benchmark wrote"
    );
    for chart in ["performance/throughput.svg", "performance/latency.svg"] {
        assert!(
            page.contains(&format!("]({chart})")),
            "the page shows {chart}"
        );
        let svg = fs::read_to_string(chapters.join(chart)).expect("chart");
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{chart}"
        );
    }

    // The tables come from a full run (`cargo make perf`), with a row for
    // every transport and size in each; the pipelines' table (perhaps from a
    // later `--pipeline-only` run) has both dealings with 1, 2, 4, 8 workers.
    let results = fs::read_to_string(chapters.join("performance/results.md")).expect("results");
    assert!(results.starts_with("Measured on "), "it says which machine");
    assert!(!results.contains("quick mode"), "not a quick run's figures");
    for transport in ["tcp", "ipc", "inproc"] {
        for size in ["16 B", "256 B", "4 KiB", "64 KiB"] {
            let rows = results
                .lines()
                .filter(|line| line.starts_with(&format!("| {transport} | {size} |")))
                .count();
            assert_eq!(
                rows, 2,
                "{transport} {size}: one throughput and one latency row"
            );
        }
    }
    assert!(
        page.contains("{{#include performance/pipeline.md}}"),
        "the page includes the pipelines' table"
    );
    let pipeline = fs::read_to_string(chapters.join("performance/pipeline.md")).expect("pipeline");
    assert!(
        pipeline.starts_with("Measured on "),
        "it says which machine"
    );
    assert!(
        !pipeline.contains("quick mode"),
        "not a quick run's figures"
    );
    for workers in [1, 2, 4, 8] {
        for dealing in ["round-robin", "load-balanced"] {
            assert!(
                pipeline
                    .lines()
                    .any(|line| line.starts_with(&format!("| {workers} | {dealing} | "))),
                "pipeline, {dealing}, with {workers} workers"
            );
        }
    }
}
