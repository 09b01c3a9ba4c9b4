//! The lesson tests' harness: run a lesson from the catalogue as real processes
//! (through the same runner as `cargo run -- run`), on ports no other test uses,
//! with every wait bounded, and render what each process printed for a snapshot.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use workbook::catalogue::{self, PORTS_PER_LESSON, Planned, Ports, Settings};
use workbook::runner::{self, Event, Flow, Outcome, Stream};

/// The seed every test passes to the examples that take one.
pub const SEED: u64 = 42;

/// No lesson test may take longer than this; the processes are killed then.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// target/<profile>/examples, with every example freshly built. `cargo test`
/// builds the examples, but `cargo test --test NAME` does not: without this, a
/// test could run an example as it was before the last edit.
pub fn examples_dir() -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build.args(["build", "--quiet", "--examples"]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building the examples failed");
    });
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps")
        .join("examples")
}

/// A block of TCP ports on 127.0.0.1 that no other test uses, so all of them
/// can run at once. Each block is claimed with an exclusive lock on a file of
/// its own in the temporary directory, held until the test process exits: the
/// threads of one test binary, the copies `cargo make stress` runs side by
/// side, and a runner that starts a process per test (cargo nextest) never get
/// the same block. The blocks lie between 10000 and 30000, below the ports
/// Linux picks for outgoing connections.
pub struct PortBlock {
    pub first: u16,
}

const FIRST_PORT: u16 = 10_000;
const BLOCKS: u16 = 2_000;

impl PortBlock {
    pub fn new() -> PortBlock {
        use std::os::fd::AsRawFd as _;
        static HELD: std::sync::Mutex<Vec<std::fs::File>> = std::sync::Mutex::new(Vec::new());
        let dir = std::env::temp_dir().join("zmq-workbook-test-ports");
        std::fs::create_dir_all(&dir).expect("a folder for the port locks");
        for block in 0..BLOCKS {
            let first = FIRST_PORT + block * PORTS_PER_LESSON;
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(dir.join(format!("{first}.lock")))
                .expect("a port lock file");
            // SAFETY: flock(2) on a descriptor we own. The lock belongs to this
            // open file, so even another thread of this process is refused it.
            if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                HELD.lock().expect("the held locks").push(lock);
                return PortBlock { first };
            }
        }
        panic!("every port block from {FIRST_PORT} up is taken by other tests");
    }

    /// The `--port-offset` that moves a lesson's lowest port to the block's
    /// first (the lesson's ports must span fewer than a block).
    pub fn offset_for(&self, lesson: &str) -> u16 {
        let ports = catalogue::lesson(lesson).expect("a lesson").ports();
        let (lowest, highest) = (ports[0], ports[ports.len() - 1]);
        assert!(
            highest - lowest < PORTS_PER_LESSON,
            "{lesson} spans too many ports"
        );
        self.first - lowest
    }

    /// The endpoint a server binds for the block's `n`th port.
    pub fn bind(&self, n: u16) -> String {
        assert!(n < PORTS_PER_LESSON);
        format!("tcp://127.0.0.1:{}", self.first + n)
    }

    /// The endpoint a client connects to for the block's `n`th port.
    pub fn connect(&self, n: u16) -> String {
        assert!(n < PORTS_PER_LESSON);
        format!("tcp://localhost:{}", self.first + n)
    }
}

/// What a lesson's processes did.
pub struct Run {
    pub plan: Vec<Planned>,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    pub outcome: Outcome,
    /// From the first process's start to the last one's exit.
    pub elapsed: Duration,
    /// The processes' temporary folder (`TMPDIR`), removed with the `Run`.
    pub temp_dir: tempfile::TempDir,
}

/// Run a lesson to its end.
pub fn run_lesson(name: &str) -> Run {
    run_lesson_until(name, |_| false)
}

/// Run a lesson until it ends, or until `done` says it has seen enough of
/// the processes' standard output (then every process gets Ctrl-C).
pub fn run_lesson_until(name: &str, done: impl Fn(&[String]) -> bool) -> Run {
    run_lesson_with_until(name, &[], done)
}

/// `run_lesson_until`, with `extra` arguments after every process's own: a
/// test's pace when the lesson's is the guide's slower one.
pub fn run_lesson_with_until(name: &str, extra: &[&str], done: impl Fn(&[String]) -> bool) -> Run {
    let lesson = catalogue::lesson(name).expect("lesson in the catalogue");
    let settings = Settings {
        ports: Ports::Block(PortBlock::new().first),
        seed: Some(SEED),
        ..Settings::default()
    };
    let mut plan = lesson.plan(&settings).expect("plan");
    for process in &mut plan {
        process.args.extend(extra.iter().map(|arg| arg.to_string()));
    }
    // A temporary folder of the run's own: what a lesson stores there (the
    // case studies' databases) starts empty and meets no other run.
    let temp_dir = tempfile::tempdir().expect("a temporary folder");
    let options = runner::Options {
        bin_dir: examples_dir(),
        deadline: Some(DEADLINE),
        // Longer than a learner's 5 s: under `cargo make stress` the
        // machine is saturated, and a process can take seconds to exit.
        grace: Duration::from_secs(15),
        temp_dir: Some(temp_dir.path().to_path_buf()),
    };
    let mut stdout = vec![String::new(); plan.len()];
    let mut stderr = vec![String::new(); plan.len()];
    let started = Instant::now();
    let outcome = runner::run(&plan, &options, |event| {
        if let Event::Output {
            process,
            stream,
            data,
        } = event
        {
            let text = String::from_utf8_lossy(data);
            match stream {
                Stream::Stdout => stdout[process].push_str(&text),
                Stream::Stderr => stderr[process].push_str(&text),
            }
            if done(&stdout) {
                return Flow::Stop;
            }
        }
        Flow::Continue
    })
    .expect("the lesson's processes start");
    Run {
        plan,
        stdout,
        stderr,
        outcome,
        elapsed: started.elapsed(),
        temp_dir,
    }
}

impl Run {
    /// Every process exited with status 0 (the ones still running at the end
    /// after Ctrl-C) and wrote nothing on stderr.
    pub fn assert_clean(&self) {
        assert!(
            self.outcome.success(),
            "the lesson did not end cleanly: {:?}, statuses {:?}\n{}",
            self.outcome.ending,
            self.outcome.statuses,
            self.dump()
        );
        for (process, stderr) in self.plan.iter().zip(&self.stderr) {
            assert!(
                stderr.is_empty(),
                "{} wrote on stderr:\n{stderr}",
                process.label
            );
        }
    }

    /// The output of the process labelled `label`.
    pub fn stdout_of(&self, label: &str) -> &str {
        let index = self
            .plan
            .iter()
            .position(|p| p.label == label)
            .unwrap_or_else(|| panic!("no process {label}"));
        &self.stdout[index]
    }

    /// The outputs of every copy of a process ("worker 1", "worker 2" …).
    pub fn stdout_of_copies(&self, label: &str) -> Vec<&str> {
        let prefix = format!("{label} ");
        self.plan
            .iter()
            .zip(&self.stdout)
            .filter(|(p, _)| p.label.starts_with(&prefix))
            .map(|(_, out)| out.as_str())
            .collect()
    }

    /// A section of the snapshot: a heading naming the process, then its output.
    pub fn section(label: &str, example: &str, output: &str) -> String {
        let mut text = format!("── {label} ({example}) ──\n");
        text.push_str(output);
        if !output.is_empty() && !output.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// Every process's output, one section each, in the catalogue's order.
    pub fn sections(&self) -> String {
        self.plan
            .iter()
            .zip(&self.stdout)
            .map(|(p, out)| Self::section(&p.label, p.example, out))
            .collect()
    }

    /// The sections of a pipeline run, shared with pipeline-kill: the workers'
    /// lines merged and sorted, since which worker gets which task depends on the
    /// order they connected in. The merged tasks must be exactly the batch, and
    /// every worker must have had its share (no slow joiner).
    pub fn pipeline_sections(&self, worker: &str) -> String {
        let workers = self.stdout_of_copies("worker");
        assert_eq!(workers.len(), 3);
        let mut counts: Vec<usize> = workers.iter().map(|out| out.lines().count()).collect();
        counts.sort();
        assert_eq!(
            counts,
            [33, 33, 34],
            "round-robin over three connected workers"
        );

        let mut tasks: Vec<u32> = workers
            .iter()
            .flat_map(|out| out.lines())
            .map(|line| line.trim_end_matches('.').parse().expect("a workload"))
            .collect();
        tasks.sort();
        let total: u32 = tasks.iter().sum();
        let ventilator = self.stdout_of("ventilator");
        assert!(
            ventilator.contains(&format!("Total expected cost: {total} msec")),
            "the workers did the whole batch: {total} msec\n{ventilator}"
        );

        // Twenty to a line, to keep the page short.
        let merged: String = tasks
            .chunks(20)
            .map(|row| {
                let row: Vec<String> = row.iter().map(|t| format!("{t}.")).collect();
                row.join(" ") + "\n"
            })
            .collect();
        let mut text = Self::section("sink", self.plan[0].example, self.stdout_of("sink"));
        text.push_str(&Self::section(
            "worker 1..3, lines merged, sorted and wrapped",
            worker,
            &format!("tasks per worker: 33, 33, 34\n{merged}"),
        ));
        text.push_str(&Self::section("ventilator", "taskvent", ventilator));
        text
    }

    fn dump(&self) -> String {
        self.plan
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "── {} stdout ──\n{}\n── {} stderr ──\n{}\n",
                    p.label, self.stdout[i], p.label, self.stderr[i]
                )
            })
            .collect()
    }
}

/// insta settings for lesson snapshots: no source-line noise, stored in
/// tests/snapshots/ (named after the lesson) so the book can include them.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Lesson snapshot settings that show the run's own temporary folder, which
/// changes from run to run, as `[TMPDIR]`.
pub fn snapshot_settings_with_temp_dir(run: &Run) -> insta::Settings {
    let mut settings = snapshot_settings();
    let folder = run.temp_dir.path().display().to_string();
    settings.add_filter(&regex_escape(&folder), "[TMPDIR]");
    settings
}

/// `text` as a regular expression that matches it literally.
pub fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Lesson snapshot settings that also hide the sink's batch time, which varies.
pub fn snapshot_settings_with_elapsed() -> insta::Settings {
    let mut settings = snapshot_settings();
    settings.add_filter(
        r"Total elapsed time: \d+ msec",
        "Total elapsed time: [ELAPSED] msec",
    );
    settings
}

/// The multi-socket lessons (msreader, mspoller) run until Ctrl-C: run one until
/// the reader has shown the whole batch of 100 tasks and at least three weather
/// updates, then stop it, and render its output for a snapshot.
pub fn multi_socket_sections(lesson: &str) -> String {
    const READER: usize = 1; // The catalogue's order: weather, reader, ventilator.
    let counts = |out: &str| {
        let tasks = out.lines().filter(|l| l.starts_with("task: ")).count();
        let updates = out
            .lines()
            .filter(|l| l.starts_with("weather update: "))
            .count();
        (tasks, updates)
    };
    let run = run_lesson_until(lesson, |stdout| {
        let (tasks, updates) = counts(&stdout[READER]);
        tasks >= 100 && updates >= 3
    });
    // Stopped by Ctrl-C, every process (the reader too) must exit with 0.
    run.assert_clean();
    assert_eq!(run.outcome.ending, workbook::runner::Ending::Observer);

    // Tasks come in the order they were sent; weather updates come in between,
    // as many as arrive while the tasks do. Check every update's format and
    // range, then count them rather than list them.
    let reader = run.stdout_of("reader");
    let mut tasks = Vec::new();
    let mut updates = 0;
    for line in reader.lines() {
        if let Some(update) = line.strip_prefix("weather update: ") {
            let fields: Vec<i32> = update
                .split(' ')
                .map(|f| f.parse().expect("a number"))
                .collect();
            assert!(
                matches!(fields[..], [10001, t, h] if (-80..=134).contains(&t) && (10..=59).contains(&h)),
                "a weather update for 10001: {line}"
            );
            updates += 1;
        } else {
            let task = line.strip_prefix("task: ").expect("a task or an update");
            tasks.push(task.to_string());
        }
    }
    assert!(updates >= 3);
    let tasks: String = tasks.chunks(20).map(|row| row.join(" ") + "\n").collect();
    let reader_section = format!(
        "task: N, 100 times, N in this order (twenty to a line):\n{tasks}\
         weather update: 10001 [TEMPERATURE] [RELHUMIDITY], [COUNT] times, wherever they arrived\n"
    );
    let mut text = Run::section("weather", "wuserver", run.stdout_of("weather"));
    text.push_str(&Run::section(
        "reader",
        run.plan[READER].example,
        &reader_section,
    ));
    text.push_str(&Run::section(
        "ventilator",
        "taskvent",
        run.stdout_of("ventilator"),
    ));
    text
}

/// One example started by hand, for tests that play its peer themselves.
/// Killed when dropped, so a failing test leaves nothing behind.
pub struct Example {
    child: std::process::Child,
}

impl Example {
    pub fn start(example: &str, args: &[&str]) -> Example {
        Self::start_with(example, args, std::process::Stdio::null())
    }

    /// Start it with a terminal-like standard input the test writes to
    /// ([`Example::type_line`]), held open until the example exits.
    pub fn start_interactive(example: &str, args: &[&str]) -> Example {
        Self::start_with(example, args, std::process::Stdio::piped())
    }

    /// How many sockets (TCP connections and listeners, and ZeroMQ's own
    /// socket pairs) the process has open: a test can watch a peer's
    /// connection close on the example's side, which nothing on the wire
    /// tells it (Linux: /proc/PID/fd).
    pub fn open_sockets(&self) -> usize {
        let dir = format!("/proc/{}/fd", self.child.id());
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|entry| {
                        std::fs::read_link(entry.path())
                            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"))
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    /// Type `line` and Enter on its standard input.
    pub fn type_line(&mut self, line: &str) {
        use std::io::Write as _;
        let stdin = self.child.stdin.as_mut().expect("started interactive");
        writeln!(stdin, "{line}").expect("write to stdin");
    }

    /// Wait (bounded) until its standard output has shown `text`; what it has
    /// printed so far. Panics if it exits or takes too long first.
    pub fn wait_for_output(&mut self, text: &str) -> String {
        use std::io::Read as _;
        let stdout = self.child.stdout.as_mut().expect("piped");
        let mut seen = Vec::new();
        let started = Instant::now();
        while !String::from_utf8_lossy(&seen).contains(text) {
            assert!(started.elapsed() < DEADLINE, "no {text:?} in {seen:?}");
            let mut byte = [0u8; 1];
            match stdout.read(&mut byte) {
                Ok(1) => seen.push(byte[0]),
                _ => panic!("exited before printing {text:?}: {seen:?}"),
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    fn start_with(example: &str, args: &[&str], stdin: std::process::Stdio) -> Example {
        let child = std::process::Command::new(examples_dir().join(example))
            .args(args)
            .stdin(stdin)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the example starts");
        Example { child }
    }

    /// True once it has exited.
    pub fn has_exited(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_some()
    }

    /// Send Ctrl-C (SIGINT), once the example is ready for it. A signal that
    /// comes before the example has installed its handler would kill it (or,
    /// started from a script in the background, be ignored): a race in the
    /// test, not a fault of the example.
    pub fn interrupt(&mut self) {
        let started = Instant::now();
        while !self.has_exited() && !runner::catches_sigint(self.child.id()) {
            assert!(
                started.elapsed() < DEADLINE,
                "the example never installed its Ctrl-C handler"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        workbook::runner::send_sigint(self.child.id());
    }

    /// Send SIGTERM, as `kill PID` would, once the example has installed its
    /// Ctrl-C handler (the examples catch SIGTERM with it).
    pub fn terminate(&mut self) {
        let started = Instant::now();
        while !self.has_exited() && !runner::catches_sigint(self.child.id()) {
            assert!(
                started.elapsed() < DEADLINE,
                "the example never installed its signal handler"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: kill(2) on the child this harness started.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
    }

    /// Wait for it to exit (at most `DEADLINE`); its status, stdout and stderr.
    pub fn finish(mut self) -> (std::process::ExitStatus, String, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(started.elapsed() < DEADLINE, "the example did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |pipe: Option<&mut dyn std::io::Read>| {
            let mut text = String::new();
            pipe.expect("piped")
                .read_to_string(&mut text)
                .expect("read");
            text
        };
        let stdout = read(self.child.stdout.as_mut().map(|p| p as _));
        let stderr = read(self.child.stderr.as_mut().map(|p| p as _));
        (status, stdout, stderr)
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The handshakes `socket` completes, to wait for one: a peer is there and
/// hears what is sent. Watch before the socket binds or connects.
pub struct Handshakes(zmq::Socket);

impl Handshakes {
    pub fn watch(context: &zmq::Context, socket: &zmq::Socket) -> Handshakes {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let at = format!(
            "inproc://handshakes-{}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let events = zmq::SocketEvent::HANDSHAKE_SUCCEEDED as i32;
        socket.monitor(&at, events).expect("monitor");
        let monitor = self::socket(context, zmq::PAIR);
        // A peer just started can take a while on a saturated machine
        // (`cargo make stress`): this bound is for a hang.
        monitor.set_rcvtimeo(30_000).expect("rcvtimeo");
        monitor.connect(&at).expect("connect the monitor");
        Handshakes(monitor)
    }

    /// Wait for the next handshake, at most 30 s.
    pub fn next(&self, with: &str) {
        self.0
            .recv_multipart(0)
            .unwrap_or_else(|e| panic!("no handshake with {with} within 30 s: {e}"));
    }

    /// How many handshakes have completed and not been waited for, now.
    pub fn completed(&self) -> usize {
        std::iter::from_fn(|| self.0.recv_multipart(zmq::DONTWAIT).ok()).count()
    }
}

/// A socket of the test's own, playing an example's peer, with bounded waits
/// and no lingering.
pub fn socket(context: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    let socket = context.socket(kind).expect("socket");
    socket.set_rcvtimeo(10_000).expect("rcvtimeo");
    socket.set_sndtimeo(10_000).expect("sndtimeo");
    socket.set_linger(0).expect("linger");
    socket
}

/// Start `example` with `args` while a socket of the test's own holds
/// `endpoint`: it must stop at once with status 1, print nothing, and say in
/// one line which endpoint it could not bind.
pub fn assert_port_in_use_is_one_line_error(example: &str, args: &[&str], endpoint: &str) {
    let context = zmq::Context::new();
    let squatter = socket(&context, zmq::REP);
    squatter.bind(endpoint).expect("bind");
    let (status, stdout, stderr) = Example::start(example, args).finish();
    assert_eq!(status.code(), Some(1), "{example}: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("{example}: error: cannot bind to {endpoint}: Address already in use\n")
    );
}

/// Play hwclient against the REP server at `endpoint` with three malformed
/// requests (not UTF-8, two frames, the wrong word) and one good one: every
/// one must be answered "World", as a REP socket must.
pub fn send_malformed_hello_requests(endpoint: &str) {
    let context = zmq::Context::new();
    let client = socket(&context, zmq::REQ);
    client.connect(endpoint).expect("connect");
    let requests: [&[&[u8]]; 4] = [&[b"\xff\xfe"], &[b"Hel", b"lo"], &[b"Goodbye"], &[b"Hello"]];
    for request in requests {
        client.send_multipart(request, 0).expect("send");
        let reply = client.recv_string(0).expect("a reply within 10 s");
        assert_eq!(reply.as_deref(), Ok("World"), "every request is answered");
    }
}

/// wuclient printed an average for zipcode 10001, and it is a temperature
/// wuserver can send (-80..=134).
pub fn assert_weather_average(client: &str) {
    let average: i32 = client
        .lines()
        .find_map(|line| line.strip_prefix("Average temperature for zipcode '10001 ' was "))
        .and_then(|rest| rest.strip_suffix('F'))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no average in:\n{client}"));
    assert!((-80..=134).contains(&average), "average {average}");
}

/// Lesson snapshot settings for a lesson whose wuclient prints an average:
/// which 100 updates it gets depends on when it joined, so the figure varies.
pub fn snapshot_settings_with_average() -> insta::Settings {
    let mut settings = snapshot_settings();
    settings.add_filter(r"was -?\d+F", "was [AVERAGE]F");
    settings
}
