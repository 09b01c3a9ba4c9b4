//! The peering3 lesson: three brokers, each with ten clients and five
//! workers, tell each other their free workers and send tasks across when
//! theirs are busy; every task a client sent is answered once, or reported
//! lost. Bad input: malformed envelopes on each of a broker's ROUTER
//! sockets, and bad states on its SUB, are reported on stderr and dropped,
//! and it goes on serving.

use std::collections::BTreeMap;

use crate::harness::{self, Example, Run, socket};

const BROKERS: [&str; 3] = ["DC1", "DC2", "DC3"];
const CLIENTS: usize = 10;
/// The test's pace: a tick of 20 ms instead of the guide's second, and
/// three bursts a client, so that every client ends.
const PACE: [&str; 4] = ["--tick-ms", "20", "--bursts", "3"];

/// A client's last line: done, or a lost task.
fn client_ended(line: &str) -> bool {
    (line.starts_with("I: client ") && line.contains(" done, "))
        || line.starts_with("E: CLIENT EXIT - lost task ")
}

/// `{"DC2": 21, "DC3": 18}` as a map.
fn counts(text: &str) -> BTreeMap<String, usize> {
    let inner = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'));
    inner
        .expect("a map")
        .split(", ")
        .map(|entry| {
            let (peer, count) = entry.split_once(": ").expect("peer: count");
            (
                peer.trim_matches('"').to_string(),
                count.parse().expect("a count"),
            )
        })
        .collect()
}

#[test]
fn every_task_is_answered_once_and_some_cross_to_peers() {
    // Until every client of every broker has ended, then Ctrl-C: by then no
    // task is on its way.
    let run = harness::run_lesson_with_until("peering3", &PACE, |stdout| {
        (stdout.iter()).all(|out| out.lines().filter(|l| client_ended(l)).count() == CLIENTS)
    });
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    let mut text = String::new();
    let (mut sent_to, mut taken_from) = (BTreeMap::new(), BTreeMap::new());
    for (broker, process) in BROKERS.iter().zip(&run.plan) {
        let out = run.stdout_of(broker);
        let peers: Vec<&str> = BROKERS.iter().copied().filter(|b| b != broker).collect();
        let lines: Vec<&str> = out.lines().collect();
        let start = [
            format!("I: preparing broker at {broker}..."),
            format!("I: connecting to cloud frontend at '{}'", peers[0]),
            format!("I: connecting to cloud frontend at '{}'", peers[1]),
            format!("I: connecting to state backend at '{}'", peers[0]),
            format!("I: connecting to state backend at '{}'", peers[1]),
            "I: every peer is there; starting the workers and clients".to_string(),
        ];
        assert_eq!(lines[..start.len()], start, "{out}");

        // Then, mixed: first states, task ids, each client's end; last, at
        // Ctrl-C, where the tasks went.
        let (summary, mixed) = lines[start.len()..].split_last().expect("a summary");
        let mut first_states = Vec::new();
        // Per client: the ids answered, how many it sent, the task it lost.
        let mut answered: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut ended: BTreeMap<usize, String> = BTreeMap::new();
        let mut lost = Vec::new();
        for line in mixed {
            let task = |id: &str| -> (usize, usize) {
                let rest = id.strip_prefix(&format!("{broker}-")).expect(line);
                let (client, n) = rest.split_once('-').expect(line);
                (client.parse().expect(line), n.parse().expect(line))
            };
            if let Some(state) = line.strip_prefix("I: first state from ") {
                first_states.push(state.split(':').next().unwrap_or_default());
                assert!(state.ends_with(" workers free"), "{line}");
            } else if let Some(rest) = line.strip_prefix("I: client ") {
                let (name, sent) = rest.split_once(" done, ").expect(line);
                let (client, _) = task(&format!("{name}-0"));
                let sent: usize = sent
                    .strip_suffix(" tasks")
                    .expect(line)
                    .parse()
                    .expect(line);
                assert!(
                    ended.insert(client, format!("done, {sent}")).is_none(),
                    "{line}"
                );
            } else if let Some(id) = line.strip_prefix("E: CLIENT EXIT - lost task ") {
                let (client, n) = task(id);
                lost.push(id.to_string());
                assert!(
                    ended.insert(client, format!("lost {n}")).is_none(),
                    "{line}"
                );
            } else {
                let (client, n) = task(line);
                answered.entry(client).or_default().push(n);
            }
        }
        first_states.sort();
        assert_eq!(first_states, peers, "each peer's capacity heard, once");
        // Every task a client sent is answered once, in order, or it is the
        // one it lost.
        assert_eq!(ended.len(), CLIENTS, "{ended:?}");
        let mut tasks = 0;
        for (client, end) in &ended {
            let ids = answered.remove(client).unwrap_or_default();
            let (answered_count, total): (usize, usize) = match end.split_once(' ') {
                Some(("done,", sent)) => (sent.parse().unwrap(), sent.parse().unwrap()),
                Some(("lost", n)) => (n.parse::<usize>().unwrap() - 1, n.parse().unwrap()),
                _ => unreachable!(),
            };
            assert_eq!(
                ids,
                (1..=answered_count).collect::<Vec<_>>(),
                "{broker}-{client}"
            );
            tasks += total;
        }
        assert!(answered.is_empty(), "replies for clients that never ended");

        // Where the tasks went: every task sent once, to a worker or a peer.
        let rest = summary.strip_prefix("I: ").expect(summary);
        let (local, rest) = rest
            .split_once(" tasks to our workers; to peers ")
            .expect(summary);
        let (to, from) = rest.split_once("; from peers ").expect(summary);
        let (local, to, from): (usize, _, _) = (local.parse().unwrap(), counts(to), counts(from));
        assert_eq!(local + to.values().sum::<usize>(), tasks, "{summary}");
        for (peer, count) in to {
            sent_to.insert((broker.to_string(), peer), count);
        }
        for (peer, count) in from {
            taken_from.insert((peer, broker.to_string()), count);
        }

        let mut section: String = start.iter().map(|l| format!("{l}\n")).collect();
        section.push_str("then, as they come (sorted here):\n");
        for peer in &first_states {
            section.push_str(&format!(
                "I: first state from {peer}: [FREE] workers free\n"
            ));
        }
        let answered_lines = mixed.len() - first_states.len() - ended.len();
        section.push_str(&format!(
            "{broker}-C-N, a task's id as its reply came: {answered_lines} lines\n"
        ));
        for (client, end) in &ended {
            match end.strip_prefix("lost ") {
                None => section.push_str(&format!("I: client {broker}-{client} {end} tasks\n")),
                Some(n) => section.push_str(&format!(
                    "E: CLIENT EXIT - lost task {broker}-{client}-{n}\n"
                )),
            }
        }
        section.push_str(&format!("at Ctrl-C:\n{summary}\n"));
        text.push_str(&Run::section(broker, process.example, &section));
        assert!(lost.is_empty(), "no task lost on a 10 s timeout: {lost:?}");
    }
    // What a broker sent a peer is what the peer took from it; some crossed.
    assert_eq!(sent_to, taken_from);
    assert!(
        sent_to.values().sum::<usize>() > 0,
        "no task crossed: {sent_to:?}"
    );

    let mut settings = harness::snapshot_settings();
    settings.add_filter(
        r"I: \d+ tasks to our workers",
        "I: [LOCAL] tasks to our workers",
    );
    settings.add_filter(r#"("DC\d": )\d+"#, "$1[COUNT]");
    settings.bind(|| insta::assert_snapshot!("peering3", text));
}

#[test]
fn peering3_reports_malformed_envelopes_and_states_and_goes_on() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc = |file: &str| format!("ipc://{}/{file}", dir.path().display());
    let context = zmq::Context::new();
    // The test plays DC2: its cloud frontend and state backend, bound where
    // DC1 connects, and its state frontend (DC1 waits for it).
    let dc2_fe = socket(&context, zmq::ROUTER);
    dc2_fe.set_identity(b"DC2").expect("routing id");
    dc2_fe.bind(&ipc("DC2-cloud.ipc")).expect("bind");
    // XPUB, to know when DC1 has subscribed before publishing to it.
    let dc2_state = socket(&context, zmq::XPUB);
    dc2_state.bind(&ipc("DC2-state.ipc")).expect("bind");
    let dc2_sub = socket(&context, zmq::SUB);
    dc2_sub.set_subscribe(b"").expect("subscribe");
    dc2_sub.connect(&ipc("DC1-state.ipc")).expect("connect");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    let args = [
        "--ipc-dir",
        ipc_dir,
        "--clients",
        "0",
        "--workers",
        "0",
        "DC1",
        "DC2",
    ];
    let mut broker = Example::start("peering3", &args);
    let mut stdout = broker.wait_for_output("starting the workers and clients\n");
    assert_eq!(dc2_state.recv_bytes(0).expect("DC1 subscribes"), b"\x01");

    // Bad states, then a good one: DC2 has one worker free.
    dc2_state.send_multipart(["DC2"], 0).expect("send");
    dc2_state.send_multipart(["DC9", "3"], 0).expect("send");
    dc2_state.send_multipart(["DC2", "many"], 0).expect("send");
    dc2_state.send_multipart(["DC2", "1"], 0).expect("send");
    stdout.push_str(&broker.wait_for_output("I: first state from DC2: 1 workers free\n"));

    // The test's other sockets, connected while the first task goes round.
    let raw_client = socket(&context, zmq::DEALER);
    raw_client
        .connect(&ipc("DC1-localfe.ipc"))
        .expect("connect");
    let dc2_be = socket(&context, zmq::ROUTER);
    dc2_be.set_identity(b"DC2").expect("routing id");
    dc2_be.set_router_mandatory(true).expect("mandatory");
    dc2_be.connect(&ipc("DC1-cloud.ipc")).expect("connect");
    let dc9_be = socket(&context, zmq::DEALER);
    dc9_be.set_identity(b"DC9").expect("routing id");
    dc9_be.connect(&ipc("DC1-cloud.ipc")).expect("connect");
    let monitor = socket(&context, zmq::PUSH);
    monitor.connect(&ipc("DC1-monitor.ipc")).expect("connect");
    let worker = socket(&context, zmq::DEALER);
    worker.connect(&ipc("DC1-localbe.ipc")).expect("connect");
    let client = socket(&context, zmq::REQ);
    client.connect(&ipc("DC1-localfe.ipc")).expect("connect");
    // No worker of its own: a client's task goes to DC2, which answers.
    client.send("T1", 0).expect("send");
    let request = dc2_fe.recv_multipart(0).expect("a task within 10 s");
    assert_eq!(request.len(), 4, "[DC1, client, \"\", T1]: {request:?}");
    assert_eq!(
        (&request[0][..], &request[3][..]),
        (&b"DC1"[..], &b"T1"[..])
    );
    dc2_fe.send_multipart(&request, 0).expect("send");
    assert_eq!(client.recv_string(0).expect("a reply"), Ok("T1".into()));

    // Malformed: to localfe and cloudfe (queued until a worker is free),
    // cloudbe, the monitor, then localbe, whose last message makes the test
    // a worker.
    raw_client.send_multipart(["T2"], 0).expect("send");
    raw_client.send_multipart(["", ""], 0).expect("send");
    dc2_fe.send_multipart(["DC1", "OK"], 0).expect("send");
    dc2_fe
        .send_multipart(["DC1", "NOBODY", "", "OK"], 0)
        .expect("send");
    dc2_be.send_multipart(["DC1", "T3"], 0).expect("send");
    dc9_be.send_multipart(["C1", "", "T4"], 0).expect("send");
    monitor.send_multipart(["two", "frames"], 0).expect("send");
    worker.send_multipart(["OK"], 0).expect("send");
    worker
        .send_multipart(["", "NOBODY", "", "OK"], 0)
        .expect("send");
    // DC1 has a worker free now, and says so.
    assert_eq!(
        dc2_sub.recv_multipart(0).expect("a state"),
        [&b"DC1"[..], b"1"]
    );

    // A peer's task reaches the worker, and its reply the peer.
    dc2_be
        .send_multipart(["DC1", "C1", "", "T5"], 0)
        .expect("send");
    let work = worker.recv_multipart(0).expect("a task within 10 s");
    assert_eq!(work, [&b""[..], b"DC2", b"C1", b"", b"T5"]);
    worker.send_multipart(&work, 0).expect("send");
    let reply = dc2_be.recv_multipart(0).expect("a reply within 10 s");
    assert_eq!(reply, [&b"DC1"[..], b"C1", b"", b"T5"]);

    // And a client's task goes to the worker, now that there is one.
    client.send("T6", 0).expect("send");
    let work = worker.recv_multipart(0).expect("a task within 10 s");
    assert_eq!(work.len(), 4, "[\"\", client, \"\", T6]: {work:?}");
    worker.send_multipart(&work, 0).expect("send");
    assert_eq!(client.recv_string(0).expect("a reply"), Ok("T6".into()));
    // Its state went 1, 0, 1 for each of the two tasks.
    for free in ["0", "1", "0", "1"] {
        let state = dc2_sub.recv_multipart(0).expect("a state");
        assert_eq!(state, [b"DC1".to_vec(), free.as_bytes().to_vec()]);
    }

    broker.interrupt();
    let (status, rest, stderr) = broker.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "I: preparing broker at DC1...\n\
         I: connecting to cloud frontend at 'DC2'\n\
         I: connecting to state backend at 'DC2'\n\
         I: every peer is there; starting the workers and clients\n\
         I: first state from DC2: 1 workers free\n\
         I: 1 tasks to our workers; to peers {\"DC2\": 1}; from peers {\"DC2\": 1}\n"
    );
    // One line each; the sockets are read in turn, so sorted.
    let skipping = "peering3: skipping malformed message: on";
    let mut expected = [
        format!("{skipping} statefe: a state of 1 frames, expected 2: name and figure"),
        format!("{skipping} statefe: a state from \"DC9\", not a peer"),
        format!("{skipping} statefe: \"many\" is not a number of workers"),
        format!("{skipping} localfe: not [client, \"\", body] but 2 frames: [\"\\0"),
        format!("{skipping} localfe: an empty body"),
        format!("{skipping} cloudbe: a reply: not [client, \"\", body] but 1 frames: [\"OK\"]"),
        format!("{skipping} localfe: no peer \"NOBODY\" to send to; dropped"),
        format!("{skipping} cloudfe: not [client, \"\", body] but 1 frames: [\"T3\"]"),
        format!("{skipping} cloudfe: \"DC9\" is not a peer"),
        format!("{skipping} monitor: 2 frames, expected 1"),
        format!("{skipping} localbe: no empty delimiter after the routing id in 2 frames"),
        format!("{skipping} localfe: no peer \"NOBODY\" to send to; dropped"),
    ];
    expected.sort();
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), expected.len(), "{stderr}");
    for (line, expected) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line}\nnot {expected}\n{stderr}"
        );
    }
    for file in ["cloud", "localfe", "localbe", "state", "monitor"] {
        assert!(
            !dir.path().join(format!("DC1-{file}.ipc")).exists(),
            "{file}"
        );
    }
}

#[test]
fn a_client_reports_a_lost_task_on_the_monitor() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc = |file: &str| format!("ipc://{}/{file}", dir.path().display());
    let context = zmq::Context::new();
    // DC2 is there but never says it has a worker, and DC1 has none: the
    // client's first task waits, and after 200 ms it is lost.
    let dc2_fe = socket(&context, zmq::ROUTER);
    dc2_fe.bind(&ipc("DC2-cloud.ipc")).expect("bind");
    let dc2_sub = socket(&context, zmq::SUB);
    dc2_sub.connect(&ipc("DC1-state.ipc")).expect("connect");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    let args = [
        "--ipc-dir",
        ipc_dir,
        "--clients",
        "1",
        "--workers",
        "0",
        "--tick-ms",
        "1",
        "--timeout-ms",
        "200",
        "DC1",
        "DC2",
    ];
    let mut broker = Example::start("peering3", &args);
    let mut stdout = broker.wait_for_output("E: CLIENT EXIT - lost task DC1-1-1\n");
    broker.interrupt();
    let (status, rest, stderr) = broker.finish();
    stdout.push_str(&rest);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout.ends_with(
            "E: CLIENT EXIT - lost task DC1-1-1\n\
             I: 0 tasks to our workers; to peers {\"DC2\": 0}; from peers {\"DC2\": 0}\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_name_given_twice_is_a_one_line_error() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    let (status, stdout, stderr) =
        Example::start("peering3", &["--ipc-dir", ipc_dir, "DC1", "DC2", "DC2"]).finish();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "peering3: error: broker name \"DC2\" is given twice\n"
    );
}
