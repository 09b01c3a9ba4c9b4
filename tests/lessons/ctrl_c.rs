//! Every wait of every example gives way to Ctrl-C: started alone (no peer
//! ever comes), each example is stopped in each place it waits (for a peer,
//! a message, a reply, the terminal's Enter, room to send), and must exit
//! promptly with status 0 and nothing on stderr.

use std::time::{Duration, Instant};

use crate::harness::{Example, PortBlock};

/// How an example is brought to the wait under test.
enum Setup {
    /// Started with these arguments; it waits at once.
    Start,
    /// Started with standard input open, it waits for Enter once it has
    /// printed this.
    Prompt(&'static str),
    /// As `Prompt`, then Enter: with no worker connected it waits to send.
    Enter(&'static str),
}

/// One wait: the example, its arguments (`B0`…`B9` become this case's bind
/// endpoints, `C0`…`C9` its connect endpoints), how it gets there.
struct Wait {
    example: &'static str,
    args: &'static [&'static str],
    setup: Setup,
    what: &'static str,
}

const fn wait(example: &'static str, args: &'static [&'static str], what: &'static str) -> Wait {
    Wait {
        example,
        args,
        setup: Setup::Start,
        what,
    }
}

#[rustfmt::skip]
const WAITS: &[Wait] = &[
    wait("hwserver", &["--bind", "B0"], "waiting for a request"),
    wait("hwclient", &["--connect", "C0"], "waiting for a reply, no server"),
    wait("wuserver", &["--bind", "B0"], "publishing"),
    wait("wuclient", &["--connect", "C0"], "waiting for updates"),
    wait("taskvent", &["--bind", "B0", "--sink", "C1", "--workers", "2"], "waiting for workers"),
    Wait {
        example: "taskvent",
        args: &["--bind", "B0", "--sink", "C1"],
        setup: Setup::Prompt("Press Enter"),
        what: "waiting for Enter",
    },
    Wait {
        example: "taskvent",
        args: &["--bind", "B0", "--sink", "C1"],
        setup: Setup::Enter("Press Enter"),
        what: "after Enter, waiting for a worker to send to",
    },
    wait("taskwork", &["--ventilator", "C0", "--sink", "C1"], "waiting for a task"),
    wait("tasksink", &["--bind", "B0"], "waiting for the batch"),
    wait("lbtaskvent", &["--bind", "B0", "--sink", "C1"], "waiting for a worker to ask"),
    wait("lbtaskvent", &["--bind", "B0", "--sink", "C1", "--workers", "2"], "waiting for workers to ask"),
    wait("lbtaskwork", &["--ventilator", "C0", "--sink", "C1"], "waiting for a task, no ventilator"),
    wait("taskwork2", &["--ventilator", "C0", "--sink", "C1", "--controller", "C2"], "polling for a task or KILL"),
    wait("tasksink2", &["--bind", "B0", "--controller", "B1"], "waiting for the batch"),
    wait("msreader", &["--ventilator", "C0", "--weather", "C1"], "reading without blocking"),
    wait("mspoller", &["--ventilator", "C0", "--weather", "C1"], "polling"),
    wait("interrupt", &["--bind", "B0"], "polling its socket and its self-pipe"),
    wait("mtserver", &["--bind", "B0"], "proxying, workers waiting"),
    wait("rrbroker", &["--frontend", "B0", "--backend", "B1"], "polling both sockets"),
    wait("rrbroker", &["--frontend", "B0", "--backend", "B1", "--workers", "2"], "waiting for workers"),
    wait("rrworker", &["--connect", "C0"], "waiting for a request"),
    wait("msgqueue", &["--frontend", "B0", "--backend", "B1"], "proxying"),
    wait("msgqueue", &["--frontend", "B0", "--backend", "B1", "--workers", "2"], "waiting for workers"),
    wait("rrclient", &["--connect", "C0"], "waiting for a reply, no broker"),
    wait("wuproxy", &["--frontend", "C0", "--backend", "B1"], "proxying, no server, no subscriber"),
    wait("streamer", &["--frontend", "C0", "--backend", "B1"], "proxying, no ventilator, no worker"),
    wait("streamer", &["--frontend", "C0", "--backend", "B1", "--workers", "2"], "waiting for workers"),
    wait("rrservice", &["--bind", "B0"], "waiting for a request"),
    wait("rrspread", &["--connect", "C0", "--connect", "C1"], "waiting for a reply, no service"),
    wait("fqsender", &["--bind", "B0"], "waiting for the reader to connect"),
    wait("fqsender", &["--bind", "B0", "--publish"], "waiting for a subscription"),
    wait("fqreader", &["--connect", "C0", "--connect", "C1"], "waiting for the senders to leave"),
    wait("fqreader", &["--connect", "C0", "--connect", "C1", "--subscribe"], "waiting for the publishers to leave"),
    wait("psenvpub", &["--bind", "B0"], "publishing, between messages"),
    wait("psenvsub", &["--connect", "C0"], "waiting for an envelope"),
    wait("syncpub", &["--bind", "B0", "--sync", "B1"], "saying Hello, waiting for subscribers"),
    wait("syncsub", &["--connect", "C0", "--sync", "C1"], "waiting for a Hello"),
    wait("zerocopy", &["--volume-mb", "1000000"], "measuring"),
    // Every endpoint its own (the defaults would clash between stress copies),
    // and few messages, so that the inproc rounds are over before Ctrl-C.
    wait("hwm", &[
        "--pub-bind", "B0", "--sub-connect", "C1",
        "--pull-bind", "B2", "--push-connect", "C2",
        "--messages", "1000",
    ], "waiting for its subscription over tcp, SUB connected elsewhere"),
    wait("earlyclient", &["--connect", "C0"], "waiting for a reply, no server"),
    wait("lateserver", &["--bind", "B0", "--delay-ms", "60000"], "waiting before it binds"),
    wait("lateserver", &["--bind", "B0", "--delay-ms", "0"], "waiting for a request"),
    wait("linger", &["--connect", "C0", "--bind", "B0"], "waiting for the late peer's messages"),
    wait("pairpeer", &["--bind", "B0"], "waiting for its peer, to send"),
    wait("pairpeer", &["--connect", "C0"], "messages queued, waiting for the peer's"),
    wait("pairlimits", &["--bind", "B0"], "listening for what never comes"),
    wait("randpub", &["--bind", "B0"], "publishing, between numbers"),
    wait("randsub", &["--connect", "C0"], "waiting for a number"),
    wait("pusher", &["--bind", "B0"], "waiting for a puller"),
    wait("puller", &["--connect", "C0"], "waiting for a task"),
    wait("pollboth", &["--pull", "C0", "--sub", "C1", "--timeout-ms", "100"], "polling both sockets, timing out again and again"),
    wait("timeserver", &["--bind", "B0"], "waiting for a request"),
    wait("timeclient", &["--connect", "C0"], "waiting for a reply, no server"),
    wait("local_thr", &["B0", "16", "1000"], "waiting for its peer"),
    wait("remote_thr", &["C0", "16", "1000"], "waiting for its peer"),
    wait("local_lat", &["B0", "16", "1000"], "waiting for its peer"),
    wait("remote_lat", &["C0", "16", "1000"], "waiting for its peer"),
    wait("pollserver", &["--bind", "B0"], "polling, no client"),
    wait("pollserver", &["--bind", "B0", "--timeout-ms", "50", "--stop-after", "1"], "quiet polls, none served yet"),
    wait("pollclient", &["--connect", "C0"], "waiting for a reply, no server"),
    wait("topicpub", &["--bind", "B0"], "publishing, between updates"),
    wait("topicsub", &["--connect", "C0"], "waiting for an update"),
    wait("portserver", &["--bind", "B0"], "waiting for a request"),
    wait("portclient", &["--connect", "C0", "--connect", "C1"], "waiting for a reply, no server"),
    wait("asyncthread", &["--connect", "C0"], "awaiting a reply from its companion thread, no server"),
    wait("asyncthread", &["--connect", "C0", "--blocking"], "waiting for a reply in the task itself, no server"),
    wait("asyncfd", &["--connect", "C0"], "awaiting ZMQ_FD for replies, no server"),
    wait("asyncfd", &["--connect", "C0", "--one-per-wakeup"], "awaiting ZMQ_FD one read at a time, no server"),
    wait("discovery_saver", &["--bind", "B0"], "waiting for results"),
    wait("discovery_computer", &["--commands", "C0", "--answers", "C1", "--results", "C2"], "computing, listening for commands"),
    wait("discovery_computer", &["--commands", "C0", "--answers", "C1", "--results", "C2", "--count", "0"], "done computing, listening for commands"),
    wait("discovery_server", &["--commands", "B0", "--answers", "B1", "--quiet-ms", "60000"], "publishing, waiting for answers"),
    wait("form_collector", &["--bind", "B0"], "polling for posts"),
    wait("form_sender", &["--connect", "C0", "--pause-ms", "60000"], "pausing between posts"),
    wait("rtreq", &["--bind", "B0", "--connect", "C0", "--seconds", "60"], "handing out work, workers working"),
    wait("rtreq", &["--bind", "B0", "--connect", "C1"], "broker waiting for requests, workers for replies, no broker"),
    wait("rtdealer", &["--bind", "B0", "--connect", "C0", "--seconds", "60"], "handing out work, workers working"),
    wait("rtdealer", &["--bind", "B0", "--connect", "C1"], "broker waiting for requests, workers for replies, no broker"),
    wait("asyncsrv", &["--bind", "B0", "--connect", "C0", "--seconds", "60"], "serving, clients polling, workers pausing"),
    wait("asyncsrv", &["--bind", "B0", "--clients", "0", "--seconds", "0"], "a server alone, until Ctrl-C"),
    wait("asyncsrv", &["--no-server", "--connect", "C0", "--backend", "C1", "--seconds", "0"], "clients and workers, no server"),
    wait("lbbroker", &["--clients", "0", "--workers", "0", "--frontend", "B0", "--backend", "B1"], "polling the backend, no worker, no client"),
    wait("lbbroker", &["--clients", "0", "--workers", "2"], "workers ready, polling both sockets, no client"),
    wait("lbbroker", &["--clients", "2", "--workers", "0"], "clients waiting for replies, no worker"),
    wait("lbbroker2", &["--clients", "0", "--workers", "0", "--frontend", "B0", "--backend", "B1"], "polling the backend, no worker, no client"),
    wait("lbbroker2", &["--clients", "0", "--workers", "2"], "workers ready, polling both sockets, no client"),
    wait("lbbroker2", &["--clients", "2", "--workers", "0"], "clients waiting for replies, no worker"),
    wait("lbbroker3", &["--clients", "0", "--workers", "0", "--frontend", "B0", "--backend", "B1"], "polling the backend, no worker, no client"),
    wait("lbbroker3", &["--clients", "0", "--workers", "2"], "workers ready, polling both sockets, no client"),
    wait("lbbroker3", &["--clients", "2", "--workers", "0"], "clients waiting for replies, no worker"),
    // `{run_dir}`: a folder of this case's own for the ipc:// files.
    wait("peering1", &["--ipc-dir", "{run_dir}", "DC1", "DC2", "DC3"], "publishing its state, no peer"),
    wait("peering2", &["--ipc-dir", "{run_dir}", "DC1", "DC2"], "waiting for its peer's cloud frontend"),
    wait("peering2", &["--ipc-dir", "{run_dir}", "DC1"], "no peers: clients and workers busy on their own"),
    wait("peering3", &["--ipc-dir", "{run_dir}", "DC1", "DC2"], "waiting for its peer's cloud frontend and state frontend"),
    wait("peering3", &["--ipc-dir", "{run_dir}", "DC1", "--tick-ms", "50"], "no peers: bursts of tasks to its own workers"),
];

/// Examples with no wait of their own here: `version` prints and exits; the
/// inproc tools never wait for a peer (performance.rs stops them busy);
/// `mtrelay` waits only for its own threads, which signal at once, so it has
/// exited before Ctrl-C could come (its waits are `workbook::wait_readable`).
/// `multipart`, `multibind`, `pairthreads` and `identity` likewise wait only
/// for their own sockets, which answer at once.
const NO_WAIT: &[&str] = &[
    "version",
    "inproc_thr",
    "inproc_lat",
    "mtrelay",
    "multibind",
    "pairthreads",
    "multipart",
    "identity",
];

#[test]
fn every_wait_of_every_example_gives_way_to_ctrl_c() {
    std::thread::scope(|scope| {
        for case in WAITS {
            scope.spawn(move || stop_while_waiting(case));
        }
    });
}

fn stop_while_waiting(case: &Wait) {
    let ports = PortBlock::new();
    let run_dir = tempfile::tempdir().expect("a folder");
    let args: Vec<String> = case
        .args
        .iter()
        .map(|arg| match arg.split_at(1) {
            ("B", n) if n.len() == 1 => ports.bind(n.parse().expect("B0…B9")),
            ("C", n) if n.len() == 1 => ports.connect(n.parse().expect("C0…C9")),
            _ if *arg == workbook::runner::RUN_DIR => run_dir.path().display().to_string(),
            _ => arg.to_string(),
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let name = format!("{} {:?}, {}", case.example, args, case.what);
    let mut example = match case.setup {
        Setup::Start => Example::start(case.example, &args),
        Setup::Prompt(prompt) | Setup::Enter(prompt) => {
            let mut example = Example::start_interactive(case.example, &args);
            example.wait_for_output(prompt);
            if let Setup::Enter(_) = case.setup {
                example.type_line("");
                example.wait_for_output("Sending tasks");
            }
            example
        }
    };
    // Give it time to settle into the wait: had Ctrl-C come sooner, the wait
    // would only have been shorter.
    std::thread::sleep(Duration::from_millis(300));
    assert!(!example.has_exited(), "{name}: exited by itself");
    example.interrupt();
    let interrupted = Instant::now();
    while !example.has_exited() {
        // A hang, not a slow exit, is what this catches: under `cargo make
        // stress` the machine is saturated and an exit can take seconds.
        assert!(
            interrupted.elapsed() < Duration::from_secs(15),
            "{name}: still running 15 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, _, stderr) = example.finish();
    assert!(status.success(), "{name}: {status}: {stderr}");
    assert_eq!(stderr, "", "{name}: stops quietly");
}

#[test]
fn every_example_is_stopped_in_its_waits_above() {
    let examples = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        // A folder without main.rs holds parts examples share, not one.
        .filter(|path| !path.is_dir() || path.join("main.rs").exists());
    for path in examples {
        let name = path.file_stem().expect("a name").to_string_lossy();
        assert!(
            WAITS.iter().any(|w| w.example == name) || NO_WAIT.contains(&&*name),
            "examples/{name}.rs: add its waits to WAITS in tests/lessons/ctrl_c.rs"
        );
    }
}
