//! The discovery case study: a command server publishes a configure command
//! and collects the answers of the computers listening; the computers compute
//! and push their results to a saver, which stores each in SQLite once. The
//! lesson's run is read back from the database; the saver's restart, Ctrl-C,
//! database errors and bad input, and what PUSH-PULL loses when the saver
//! dies, each by hand.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::harness::{self, Example, PortBlock, Run, socket};

/// Results each computer computes in the lesson.
const RESULTS: usize = 5;

/// The rows of the results table, (computer, sequence, value) in order.
fn rows(db: &Path) -> Vec<(String, u32, f64)> {
    let connection = rusqlite::Connection::open(db).expect("the database opens");
    let mut query = connection
        .prepare("SELECT computer, sequence, value FROM results ORDER BY computer, sequence")
        .expect("a query");
    query
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows")
        .map(|row| row.expect("a row"))
        .collect()
}

/// A fresh database path, in a folder removed at the end of the test.
fn fresh_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("results.sqlite");
    (dir, db)
}

/// The saver's endpoints and database, as arguments.
fn saver_args<'a>(ports: &'a PortBlock, db: &'a Path) -> Vec<String> {
    vec![
        "--bind".into(),
        ports.bind(0),
        "--db".into(),
        db.display().to_string(),
    ]
}

fn start_saver(ports: &PortBlock, db: &Path) -> Example {
    let args = saver_args(ports, db);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Example::start("discovery_saver", &args)
}

/// Push one result, as a computer does: [computer, sequence, value].
fn push_result(pusher: &zmq::Socket, computer: &str, sequence: u32, value: &str) {
    pusher
        .send_multipart([computer, &sequence.to_string(), value], 0)
        .expect("send");
}

#[test]
fn every_result_the_computers_send_is_stored_exactly_once() {
    // The catalogue's order: saver, computer 1..3, server.
    let stored = |out: &str| out.lines().filter(|l| l.starts_with("stored ")).count();
    let run = harness::run_lesson_until("discovery", |stdout| {
        stored(&stdout[0]) >= 3 * RESULTS && stdout[4].contains("computers answered")
    });
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    // Who the server heard is who is computing.
    let computers = run.stdout_of_copies("computer");
    let names: BTreeSet<&str> = computers
        .iter()
        .map(|out| out.split(' ').next().expect("a name"))
        .collect();
    assert_eq!(names.len(), 3, "three computers, three names");
    let server = run.stdout_of("server");
    let listed = format!(
        "3 computers answered: {}\n",
        names.iter().copied().collect::<Vec<_>>().join(", ")
    );
    assert!(server.ends_with(&listed), "{server}");

    // What the computers say they sent is what the database holds, once each.
    let mut sent: Vec<(String, u32, f64)> = Vec::new();
    for out in &computers {
        let mut lines = out.lines();
        for line in lines.by_ref() {
            if let Some((name, rest)) = line.split_once(" sent result ") {
                let (sequence, value) = rest.split_once(": ").expect("N: VALUE");
                sent.push((
                    name.to_string(),
                    sequence.parse().expect("a sequence number"),
                    value.parse().expect("a value"),
                ));
            }
        }
    }
    sent.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    assert_eq!(sent.len(), 3 * RESULTS);
    let saver = run.stdout_of("saver");
    let db = saver
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("Saving results in "))
        .and_then(|rest| rest.split(" (").next())
        .map(PathBuf::from)
        .expect("the saver names its database");
    assert_eq!(
        db,
        run.temp_dir.path().join("zmq-workbook-discovery.sqlite"),
        "the default database, in the run's own temporary folder"
    );
    let in_db: Vec<_> = rows(&db)
        .into_iter()
        .filter(|(computer, _, _)| names.contains(computer.as_str()))
        .collect();
    assert_eq!(in_db, sent, "every result sent is stored, once");
    assert!(saver.ends_with(&format!("Stored {} new results\n", 3 * RESULTS)));

    // Each computer's lines sorted: when the command arrives among the
    // results depends on when the computer started.
    let sorted = |out: &str| {
        let mut lines: Vec<&str> = out.lines().collect();
        lines.sort();
        lines.join("\n") + "\n"
    };
    let anonymous_sorted = |out: &str| {
        let mut own = sorted(out);
        for name in &names {
            own = own.replace(name, "computer-[PID]");
        }
        own
    };
    let computer = anonymous_sorted(computers[0]);
    for out in &computers {
        assert_eq!(
            anonymous_sorted(out),
            computer,
            "every computer computed the same"
        );
    }
    // The saver's lines in between sorted, once the names are placeholders:
    // the three computers' results arrive interleaved as they come.
    let mut anonymous = saver.to_string();
    for name in &names {
        anonymous = anonymous.replace(name, "computer-[PID]");
    }
    let mut saver_lines: Vec<&str> = anonymous.lines().collect();
    let last = saver_lines.pop().expect("a last line");
    let first = saver_lines.remove(0);
    saver_lines.sort();
    let mut shown = Run::section(
        "saver, the stored lines sorted",
        "discovery_saver",
        &format!("{first}\n{}\n{last}\n", saver_lines.join("\n")),
    );
    shown.push_str(&Run::section(
        "computer 1..3, each of them, lines sorted",
        "discovery_computer",
        &computer,
    ));
    shown.push_str(&Run::section("server", "discovery_server", server));
    let mut settings = harness::snapshot_settings_with_temp_dir(&run);
    settings.add_filter(r"computer-\d+", "computer-[PID]");
    settings.bind(|| insta::assert_snapshot!("discovery", shown));
}

#[test]
fn a_restarted_saver_keeps_what_is_there_and_stores_nothing_twice() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");

    let mut saver = start_saver(&ports, &db);
    push_result(&pusher, "alpha", 1, "3.1");
    push_result(&pusher, "alpha", 2, "2.72");
    push_result(&pusher, "alpha", 2, "2.72"); // sent twice
    let mut stdout = saver.wait_for_output("alpha #2 is stored already\n");
    saver.interrupt();
    let (status, rest, stderr) = saver.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let shown_db = db.display();
    assert_eq!(
        stdout,
        format!(
            "Saving results in {shown_db} (0 there already)\n\
             stored alpha #1: 3.1000\n\
             stored alpha #2: 2.7200\n\
             alpha #2 is stored already\n\
             Stored 2 new results\n"
        )
    );

    // Started again on the same database: what is there stays, and a result
    // sent again (a computer that retries) is not stored a second time.
    let mut saver = start_saver(&ports, &db);
    push_result(&pusher, "alpha", 2, "2.72");
    push_result(&pusher, "alpha", 3, "2.5");
    let mut stdout = saver.wait_for_output("stored alpha #3");
    saver.interrupt();
    let (status, rest, stderr) = saver.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        format!(
            "Saving results in {shown_db} (2 there already)\n\
             alpha #2 is stored already\n\
             stored alpha #3: 2.5000\n\
             Stored 1 new results\n"
        )
    );
    assert_eq!(
        rows(&db),
        [
            ("alpha".into(), 1, 3.1),
            ("alpha".into(), 2, 2.72),
            ("alpha".into(), 3, 2.5)
        ]
    );
}

#[test]
fn ctrl_c_on_the_saver_stores_what_it_received_then_exits_0() {
    const SENT: u32 = 500;
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");
    let mut saver = start_saver(&ports, &db);
    for sequence in 1..=SENT {
        push_result(&pusher, "burst", sequence, "1.5");
    }
    // Ctrl-C as soon as the first is stored: the rest have arrived, or are
    // arriving, and wait in the saver's queue.
    let mut stdout = saver.wait_for_output("stored burst #1:");
    saver.interrupt();
    let (status, rest, stderr) = saver.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    let stored = stdout.lines().filter(|l| l.starts_with("stored ")).count();
    assert!(
        stdout.ends_with(&format!("Stored {stored} new results\n")),
        "{stdout}"
    );
    assert_eq!(rows(&db).len(), stored, "what it says it stored is there");
    assert_eq!(
        stored, SENT as usize,
        "everything that had reached it when Ctrl-C came is stored"
    );
}

#[test]
fn push_pull_loses_what_a_dying_saver_had_received_and_nobody_is_told() {
    const BURST: u32 = 2000;
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    // No limit on our own queue: every send below returns at once, Ok.
    pusher.set_sndhwm(0).expect("sndhwm");
    pusher.connect(&ports.connect(0)).expect("connect");

    let mut saver = start_saver(&ports, &db);
    for sequence in 1..=BURST {
        push_result(&pusher, "doomed", sequence, "2.5");
    }
    saver.wait_for_output("stored doomed #100:");
    drop(saver); // killed (SIGKILL) mid-stream, as by a crash or a power cut

    // A new saver on the same database. PUSH reconnects by itself and sends
    // what it still holds, then one last result, so we know when to stop.
    let mut saver = start_saver(&ports, &db);
    push_result(&pusher, "doomed", BURST + 1, "2.5");
    saver.wait_for_output(&format!("stored doomed #{}:", BURST + 1));
    saver.interrupt();
    let (status, _, stderr) = saver.finish();
    assert!(status.success(), "{status}: {stderr}");

    let stored: BTreeSet<u32> = rows(&db).into_iter().map(|(_, n, _)| n).collect();
    let lost: Vec<u32> = (1..=BURST).filter(|n| !stored.contains(n)).collect();
    eprintln!(
        "discovery: of {BURST} results sent, every send Ok, {} were lost with the saver \
         (#{}..#{})",
        lost.len(),
        lost.first().copied().unwrap_or(0),
        lost.last().copied().unwrap_or(0)
    );
    assert!(
        !lost.is_empty(),
        "the messages the killed saver had queued are gone, and nobody said so"
    );
    assert!(stored.contains(&1) && stored.contains(&100));
}

#[test]
fn the_saver_reports_malformed_results_and_goes_on() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");
    let mut saver = start_saver(&ports, &db);
    let bad: [&[&[u8]]; 5] = [
        &[b"alpha", b"1"],
        &[b"alpha", b"one", b"3.1"],
        &[b"alpha", b"1", b"pi"],
        &[b"alpha", b"1", b"NaN"],
        &[b"\xff", b"1", b"3.1"],
    ];
    for message in bad {
        pusher.send_multipart(message, 0).expect("send");
    }
    push_result(&pusher, "alpha", 1, "3.1");
    saver.wait_for_output("stored alpha #1");
    saver.interrupt();
    let (status, _, stderr) = saver.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stderr,
        "discovery_saver: skipping malformed message: 2 frames, expected 3\n\
         discovery_saver: skipping malformed message: \"one\" is not a sequence number\n\
         discovery_saver: skipping malformed message: \"pi\" is not a number\n\
         discovery_saver: skipping malformed message: NaN is not a finite number\n\
         discovery_saver: skipping malformed message: not UTF-8 text: b\"\\xff\"\n"
    );
    assert_eq!(rows(&db), [("alpha".into(), 1, 3.1)]);
}

#[test]
fn a_database_that_cannot_be_opened_is_a_one_line_error() {
    let ports = PortBlock::new();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("no-such-folder").join("results.sqlite");
    let (status, stdout, stderr) = start_saver(&ports, &missing).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "discovery_saver: error: cannot open database {}: unable to open database file: {}\n",
            missing.display(),
            missing.display()
        )
    );

    let not_a_database = dir.path().join("notes.txt");
    std::fs::write(
        &not_a_database,
        "these are not the results you are looking for\n".repeat(20),
    )
    .expect("write");
    let (status, stdout, stderr) = start_saver(&ports, &not_a_database).finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "discovery_saver: error: cannot open database {}: file is not a database\n",
            not_a_database.display()
        )
    );
}

#[test]
fn a_database_that_cannot_be_written_is_a_one_line_error() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let context = zmq::Context::new();
    let pusher = socket(&context, zmq::PUSH);
    pusher.connect(&ports.connect(0)).expect("connect");
    let mut saver = start_saver(&ports, &db);
    let stdout = saver.wait_for_output("there already)\n");
    // Another program holds the database's write lock, and keeps it.
    let other = rusqlite::Connection::open(&db).expect("open");
    other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    push_result(&pusher, "alpha", 1, "3.1");
    let (status, rest, stderr) = saver.finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(
        format!("{stdout}{rest}"),
        format!("Saving results in {} (0 there already)\n", db.display())
    );
    assert_eq!(
        stderr,
        format!(
            "discovery_saver: error: cannot write to database {}: database is locked\n",
            db.display()
        )
    );
}

#[test]
fn a_computer_answers_each_command_once_and_computes_meanwhile() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let publisher = socket(&context, zmq::PUB);
    publisher.bind(&ports.bind(0)).expect("bind");
    let answers = socket(&context, zmq::PULL);
    answers.bind(&ports.bind(1)).expect("bind");
    let results = socket(&context, zmq::PULL);
    results.bind(&ports.bind(2)).expect("bind");
    let mut computer = Example::start(
        "discovery_computer",
        &[
            "--commands",
            &ports.connect(0),
            "--answers",
            &ports.connect(1),
            "--results",
            &ports.connect(2),
            "--name",
            "hal",
            "--count",
            "3",
            "--pause-ms",
            "300",
            "--seed",
            "42",
        ],
    );
    // Say it until it is heard, as the server does.
    let started = std::time::Instant::now();
    while answers.poll(zmq::POLLIN, 50).expect("poll") == 0 {
        assert!(started.elapsed() < harness::DEADLINE, "no answer");
        publisher.send("CONFIGURE 7 pause-ms=20", 0).expect("send");
    }
    assert_eq!(
        answers.recv_multipart(0).expect("an answer"),
        [b"hal".to_vec(), b"7 pause-ms=20".to_vec()]
    );
    // Heard again, the same command is not answered again; malformed ones are
    // reported; a new one is answered.
    for command in [
        "CONFIGURE 7 pause-ms=20",
        "CONFIGURE 8",
        "CONFIGURE 8 pause=20",
        "CONFIGURE 8 pause-ms=soon",
        "CONFIGURE 8 pause-ms=30",
    ] {
        publisher.send(command, 0).expect("send");
    }
    assert_eq!(
        answers.recv_multipart(0).expect("an answer"),
        [b"hal".to_vec(), b"8 pause-ms=30".to_vec()]
    );
    let mut sequences = Vec::new();
    for _ in 0..3 {
        let result = results.recv_multipart(0).expect("a result");
        assert_eq!(result.len(), 3);
        assert_eq!(result[0], b"hal");
        sequences.push(String::from_utf8(result[1].clone()).expect("text"));
    }
    assert_eq!(sequences, ["1", "2", "3"]);
    computer.interrupt();
    let (status, stdout, stderr) = computer.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        answers.poll(zmq::POLLIN, 0).expect("poll"),
        0,
        "answered twice"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("hal sent result "))
            .count(),
        3
    );
    assert!(stdout.contains("hal configured: pause-ms=20\n"));
    assert!(stdout.contains("hal configured: pause-ms=30\n"));
    assert_eq!(
        stderr,
        "discovery_computer: skipping malformed message: \"CONFIGURE 8\" is not \"CONFIGURE NUMBER pause-ms=MS\"\n\
         discovery_computer: skipping malformed message: \"CONFIGURE 8 pause=20\" is not \"CONFIGURE NUMBER pause-ms=MS\"\n\
         discovery_computer: skipping malformed message: \"soon\" is not a pause in milliseconds\n"
    );
}

#[test]
fn the_server_lists_who_answered_and_reports_malformed_answers() {
    let ports = PortBlock::new();
    let context = zmq::Context::new();
    let server = Example::start(
        "discovery_server",
        &[
            "--commands",
            &ports.bind(0),
            "--answers",
            &ports.bind(1),
            "--pause-ms",
            "25",
            "--quiet-ms",
            "3000",
        ],
    );
    let listener = socket(&context, zmq::SUB);
    listener.set_subscribe(b"").expect("subscribe");
    listener.connect(&ports.connect(0)).expect("connect");
    let answers = socket(&context, zmq::PUSH);
    answers.connect(&ports.connect(1)).expect("connect");
    let command = listener.recv_string(0).expect("a command").expect("text");
    let number = command
        .strip_prefix("CONFIGURE ")
        .and_then(|rest| rest.strip_suffix(" pause-ms=25"))
        .unwrap_or_else(|| panic!("{command:?}"));
    // An answer to some other command: not ours.
    let other = number.parse::<u32>().expect("a number").wrapping_add(1);
    let other_answer = format!("{other} pause-ms=25");
    let bad: [&[&[u8]]; 3] = [
        &[b"deep-thought"],
        &[b"deep-thought", b"42"],
        &[b"deep-thought", other_answer.as_bytes()],
    ];
    for message in bad {
        answers.send_multipart(message, 0).expect("send");
    }
    for computer in ["marvin", "hal", "marvin"] {
        answers
            .send_multipart([computer, &format!("{number} pause-ms=25")], 0)
            .expect("send");
    }
    let (status, stdout, stderr) = server.finish();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "Publishing CONFIGURE pause-ms=25 until the answers stop\n\
         marvin answered: pause-ms=25\n\
         hal answered: pause-ms=25\n\
         marvin answered: pause-ms=25\n\
         No answer for 3000 ms: 2 computers answered: hal, marvin\n"
    );
    assert_eq!(
        stderr,
        format!(
            "discovery_server: skipping malformed message: 1 frames, expected 2\n\
             discovery_server: skipping malformed message: \"42\" is not \"NUMBER SETTING\"\n\
             discovery_server: skipping malformed message: deep-thought answered command {other}, not {number}\n"
        )
    );
}

#[test]
fn saver_and_server_with_a_port_in_use_are_a_one_line_error() {
    let ports = PortBlock::new();
    let (_dir, db) = fresh_db();
    let args = saver_args(&ports, &db);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    harness::assert_port_in_use_is_one_line_error("discovery_saver", &args, &ports.bind(0));
    harness::assert_port_in_use_is_one_line_error(
        "discovery_server",
        &["--commands", &ports.bind(1), "--answers", &ports.bind(2)],
        &ports.bind(2),
    );
}
