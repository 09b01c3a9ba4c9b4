//! The form collector case study: three senders push fake form posts as
//! JSON; the collector checks each and stores the good ones in SQLite. Bad
//! posts (not JSON, unknown or missing fields, wrong types, too large) are
//! reported and not stored; a restart keeps what is there.

use std::path::{Path, PathBuf};

use crate::harness::{self, Example, PortBlock, Run, socket};

/// Posts each sender sends in the lesson.
const POSTS: usize = 4;

/// The posts table, (name, email, age, message) in the order stored.
fn rows(db: &Path) -> Vec<(String, String, u8, String)> {
    let connection = rusqlite::Connection::open(db).expect("the database opens");
    let mut query = connection
        .prepare("SELECT name, email, age, message FROM posts ORDER BY id")
        .expect("a query");
    query
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("rows")
        .map(|row| row.expect("a row"))
        .collect()
}

fn fresh_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("forms.sqlite");
    (dir, db)
}

fn start_collector(ports: &PortBlock, db: &Path) -> Example {
    Example::start(
        "form_collector",
        &["--bind", &ports.bind(0), "--db", &db.display().to_string()],
    )
}

/// A good post, as JSON.
fn post(name: &str, age: u8) -> String {
    format!(
        r#"{{"name":"{name}","email":"{}@example.org","age":{age},"message":"Hello"}}"#,
        name.to_lowercase()
    )
}

#[test]
fn the_collector_stores_every_post_the_senders_send() {
    // The catalogue's order: collector, sender 1..3.
    let stored = |out: &str| out.lines().filter(|l| l.starts_with("stored ")).count();
    let run = harness::run_lesson_until("form-collector", |stdout| stored(&stdout[0]) >= 3 * POSTS);
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    // Every post sent is stored, and nothing else: the senders' names and
    // addresses, as the collector reports them.
    let mut sent: Vec<String> = Vec::new();
    for out in run.stdout_of_copies("sender") {
        assert_eq!(out.lines().count(), POSTS);
        for line in out.lines() {
            let json = line.strip_prefix("posted ").expect("posted JSON");
            let post: serde_json::Value = serde_json::from_str(json).expect("JSON");
            sent.push(format!(
                "stored a post from {} <{}>",
                post["name"].as_str().expect("a name"),
                post["email"].as_str().expect("an address")
            ));
        }
    }
    sent.sort();
    let collector = run.stdout_of("collector");
    let mut lines: Vec<&str> = collector.lines().collect();
    let last = lines.pop().expect("a last line");
    let first = lines.remove(0);
    lines.sort();
    assert_eq!(lines, sent, "every post sent is stored, once");
    assert_eq!(last, format!("Stored {} posts", 3 * POSTS));
    let db = first
        .strip_prefix("Collecting posts in ")
        .and_then(|rest| rest.split(" (").next())
        .map(PathBuf::from)
        .expect("the collector names its database");
    assert_eq!(
        db,
        run.temp_dir.path().join("zmq-workbook-forms.sqlite"),
        "the default database, in the run's own temporary folder"
    );
    let in_db = rows(&db);
    for line in &sent {
        assert!(
            in_db
                .iter()
                .any(|(name, email, _, _)| *line == format!("stored a post from {name} <{email}>")),
            "{line}: not in the database"
        );
    }

    let mut shown = Run::section(
        "collector, the stored lines sorted",
        "form_collector",
        &format!("{first}\n{}\n{last}\n", lines.join("\n")),
    );
    for (n, out) in run.stdout_of_copies("sender").into_iter().enumerate() {
        shown.push_str(&Run::section(
            &format!("sender {}", n + 1),
            "form_sender",
            out,
        ));
    }
    let settings = harness::snapshot_settings_with_temp_dir(&run);
    settings.bind(|| insta::assert_snapshot!("form-collector", shown));
}

#[test]
fn malformed_oversized_and_unknown_field_posts_are_reported_and_not_stored() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let mut collector = start_collector(&ports, &db);
    let (status, _, stderr) = Example::start(
        "form_sender",
        &["--connect", &ports.connect(0), "--malformed"],
    )
    .finish();
    assert!(status.success(), "{status}: {stderr}");
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");
    pusher
        .send_multipart([post("Basil", 40).as_str(), "{}"], 0)
        .expect("send");
    pusher.send(&b"\xff\xfe"[..], 0).expect("send");
    // A field name with a line break in it: still one line on stderr.
    pusher
        .send(
            post("Dora", 20).replace(r#""age""#, r#""a\nge""#).as_str(),
            0,
        )
        .expect("send");
    pusher.send(post("Cleo", 30).as_str(), 0).expect("send");
    let mut stdout = collector.wait_for_output("stored a post from Cleo");
    collector.interrupt();
    let (status, rest, stderr) = collector.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Collecting posts in {} (0 there already)\n\
             stored a post from Cleo <cleo@example.org>\n\
             Stored 1 posts\n",
            db.display()
        )
    );
    // The sender's bad posts in the order it sent them (one sender: FIFO),
    // then the test's own.
    assert_eq!(
        stderr,
        "form_collector: skipping malformed message: not a form post: EOF while parsing a value at line 1 column 28\n\
         form_collector: skipping malformed message: not a form post: unknown field `phone`, expected one of `name`, `email`, `age`, `message` at line 1 column 77\n\
         form_collector: skipping malformed message: not a form post: invalid type: string \"36\", expected u8 at line 1 column 56\n\
         form_collector: skipping malformed message: not a form post: missing field `age` at line 1 column 61\n\
         form_collector: skipping malformed message: not a form post: \"ada.example.org\" is not an email address\n\
         form_collector: skipping malformed message: a post of 2568 bytes, over the limit of 1024\n\
         form_collector: skipping malformed message: 2 frames, expected 1\n\
         form_collector: skipping malformed message: not a form post: expected value at line 1 column 1\n\
         form_collector: skipping malformed message: not a form post: unknown field `a\\nge`, expected one of `name`, `email`, `age`, `message` at line 1 column 49\n"
    );
    assert_eq!(
        rows(&db),
        [("Cleo".into(), "cleo@example.org".into(), 30, "Hello".into())]
    );
}

#[test]
fn a_restarted_collector_keeps_what_is_there() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");

    let mut collector = start_collector(&ports, &db);
    pusher.send(post("Ada", 36).as_str(), 0).expect("send");
    pusher.send(post("Hugo", 52).as_str(), 0).expect("send");
    collector.wait_for_output("stored a post from Hugo");
    collector.interrupt();
    let (status, _, stderr) = collector.finish();
    assert!(status.success(), "{status}: {stderr}");

    let mut collector = start_collector(&ports, &db);
    pusher.send(post("Esme", 27).as_str(), 0).expect("send");
    let mut stdout = collector.wait_for_output("stored a post from Esme");
    collector.interrupt();
    let (status, rest, stderr) = collector.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Collecting posts in {} (2 there already)\n\
             stored a post from Esme <esme@example.org>\n\
             Stored 1 posts\n",
            db.display()
        )
    );
    let names: Vec<String> = rows(&db).into_iter().map(|row| row.0).collect();
    assert_eq!(names, ["Ada", "Hugo", "Esme"]);
}

#[test]
fn a_database_that_cannot_be_opened_is_a_one_line_error() {
    let ports = PortBlock::new();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("no-such-folder").join("forms.sqlite");
    let (status, stdout, stderr) = start_collector(&ports, &missing).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "form_collector: error: cannot open database {}: unable to open database file: {}\n",
            missing.display(),
            missing.display()
        )
    );
}

#[test]
fn collector_with_a_port_in_use_is_a_one_line_error() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    harness::assert_port_in_use_is_one_line_error(
        "form_collector",
        &["--bind", &ports.bind(0), "--db", &db.display().to_string()],
        &ports.bind(0),
    );
}
