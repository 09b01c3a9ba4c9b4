//! The peering1 lesson: three brokers, DC1, DC2 and DC3, each publish a
//! random number of free workers once a second and print their peers'.
//! Bad input: state messages that are not a peer's name and a number are
//! reported on stderr and skipped.

use std::collections::BTreeMap;

use crate::harness::{self, Example, Run, socket};

const BROKERS: [&str; 3] = ["DC1", "DC2", "DC3"];

/// The peers' states a broker printed: how many times each peer was heard.
fn heard(stdout: &str) -> BTreeMap<String, usize> {
    let mut heard = BTreeMap::new();
    for line in stdout.lines().filter(|l| !l.starts_with("I: ")) {
        let (peer, rest) = line.split_once(" - ").expect("PEER - N workers free");
        let figure = rest.strip_suffix(" workers free").expect("N workers free");
        let figure: u32 = figure.parse().expect("a number");
        assert!(figure < 10, "randof(10): {line}");
        *heard.entry(peer.to_string()).or_default() += 1;
    }
    heard
}

#[test]
fn every_broker_hears_every_peer_once_a_second() {
    // Until every broker has heard each peer twice (the first may be lost
    // while the SUB socket connects), then Ctrl-C.
    let run = harness::run_lesson_until("peering1", |stdout| {
        stdout
            .iter()
            .all(|out| heard(out).len() == 2 && heard(out).values().all(|&n| n >= 2))
    });
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    let mut text = String::new();
    for (broker, process) in BROKERS.iter().zip(&run.plan) {
        let out = run.stdout_of(broker);
        let peers: Vec<&str> = BROKERS.iter().copied().filter(|b| b != broker).collect();
        assert_eq!(heard(out).keys().collect::<Vec<_>>(), peers, "{out}");
        // The start as printed, then the states, one line per peer: how
        // many came and which figures varies with timing.
        let mut section: String = out
            .lines()
            .filter(|l| l.starts_with("I: "))
            .map(|l| format!("{l}\n"))
            .collect();
        section
            .push_str("then, from each peer once a second (shown once per peer; [N]: 0 to 9):\n");
        for peer in peers {
            section.push_str(&format!("{peer} - [N] workers free\n"));
        }
        text.push_str(&Run::section(broker, process.example, &section));
    }
    harness::snapshot_settings().bind(|| insta::assert_snapshot!("peering1", text));
}

#[test]
fn peering1_skips_malformed_states_and_removes_its_ipc_file() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    // The test plays DC2's state backend; XPUB tells when DC1 has subscribed.
    let context = zmq::Context::new();
    let statebe = socket(&context, zmq::XPUB);
    statebe
        .bind(&format!("ipc://{ipc_dir}/DC2-state.ipc"))
        .expect("bind");
    let mut broker = Example::start("peering1", &["--ipc-dir", ipc_dir, "DC1", "DC2"]);
    statebe.recv_bytes(0).expect("DC1 subscribes within 10 s");
    let bad: [&[&[u8]]; 5] = [
        &[b"DC2"],
        &[b"DC2", b"3", b"more"],
        &[b"DC9", b"3"],
        &[b"DC2", b"three"],
        &[b"", b""],
    ];
    for message in bad {
        statebe.send_multipart(message, 0).expect("send");
    }
    statebe.send_multipart(["DC2", "7"], 0).expect("send");
    let seen = broker.wait_for_output("DC2 - 7 workers free\n");
    broker.interrupt();
    let (status, rest, stderr) = broker.finish();
    let stdout = seen + &rest;
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        stdout,
        "I: preparing broker at DC1...\n\
         I: connecting to state backend at 'DC2'\n\
         DC2 - 7 workers free\n"
    );
    let skipping = "peering1: skipping malformed message:";
    assert_eq!(
        stderr,
        format!(
            "{skipping} a state of 1 frames, expected 2: name and figure\n\
             {skipping} a state of 3 frames, expected 2: name and figure\n\
             {skipping} a state from \"DC9\", not a peer\n\
             {skipping} \"three\" is not a number of workers\n\
             {skipping} a state from \"\", not a peer\n"
        )
    );
    assert!(
        !dir.path().join("DC1-state.ipc").exists(),
        "DC1 removed its own ipc:// file"
    );
}

#[test]
fn a_name_given_twice_is_a_one_line_error() {
    let dir = tempfile::tempdir().expect("a folder");
    let ipc_dir = dir.path().to_str().expect("UTF-8");
    let (status, stdout, stderr) =
        Example::start("peering1", &["--ipc-dir", ipc_dir, "DC1", "DC2", "DC1"]).finish();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "peering1: error: broker name \"DC1\" is given twice\n"
    );
}
