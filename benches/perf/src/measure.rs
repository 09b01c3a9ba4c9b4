//! One measurement: run one implementation's tool (or pair of tools) for one
//! transport and message size, and read the figure it prints.

use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::tools::Binaries;
use workbook::perf::Figures;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Throughput,
    Latency,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Transport {
    Tcp,
    Ipc,
    Inproc,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Ipc => "ipc",
            Transport::Inproc => "inproc",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Implementation {
    C,
    Rust,
}

impl Implementation {
    pub fn name(self) -> &'static str {
        match self {
            Implementation::C => "C",
            Implementation::Rust => "Rust",
        }
    }
}

/// What to measure: messages (throughput) or round trips (latency) of one size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    pub kind: Kind,
    pub transport: Transport,
    pub size: usize,
    pub count: u64,
}

/// No single run may take longer than this.
const DEADLINE: Duration = Duration::from_secs(60);

/// How long local_thr may take to drain its queues once remote_thr exited.
const DRAIN: Duration = Duration::from_secs(1);

/// TCP ports for the runs: each run takes the next one, so a tool still
/// closing down never holds the port the next run binds. Below 32768 (Linux's
/// outgoing ports) and above every port the tests use.
const FIRST_PORT: u16 = 28_000;
const PORTS: u16 = 500;

pub struct Measurer {
    binaries: Binaries,
    ipc_dir: PathBuf,
    runs: u16,
    /// The CPUs the local and the remote tool are pinned to, if there are two.
    cpus: Option<(usize, usize)>,
}

impl Measurer {
    pub fn new(binaries: Binaries) -> anyhow::Result<Measurer> {
        let ipc_dir = std::env::temp_dir().join(format!("workbook-perf-{}", std::process::id()));
        std::fs::create_dir_all(&ipc_dir)
            .with_context(|| format!("cannot create {}", ipc_dir.display()))?;
        Ok(Measurer {
            binaries,
            ipc_dir,
            runs: 0,
            cpus: two_cpus(),
        })
    }

    /// Run `case` once with `implementation`: throughput in messages per
    /// second, or latency in microseconds; `None` if messages were lost.
    pub fn measure(
        &mut self,
        case: Case,
        implementation: Implementation,
    ) -> anyhow::Result<Option<f64>> {
        let dir = match implementation {
            Implementation::C => &self.binaries.c,
            Implementation::Rust => &self.binaries.rust,
        };
        let size = case.size.to_string();
        let count = case.count.to_string();
        let output = match (case.kind, case.transport) {
            (Kind::Throughput, Transport::Inproc) => {
                run_alone(&dir.join("inproc_thr"), &[&size, &count])?
            }
            (Kind::Latency, Transport::Inproc) => {
                run_alone(&dir.join("inproc_lat"), &[&size, &count])?
            }
            (kind, transport) => {
                self.runs += 1;
                let endpoint = match transport {
                    Transport::Tcp => format!("tcp://127.0.0.1:{}", FIRST_PORT + self.runs % PORTS),
                    _ => format!("ipc://{}/{}.ipc", self.ipc_dir.display(), self.runs),
                };
                let (local, remote) = match kind {
                    Kind::Throughput => ("local_thr", "remote_thr"),
                    Kind::Latency => ("local_lat", "remote_lat"),
                };
                let args = [endpoint.as_str(), &size, &count];
                let pair = Pair {
                    local: dir.join(local),
                    remote: dir.join(remote),
                    cpus: self.cpus,
                };
                match pair.run(&args, kind)? {
                    Some(output) => output,
                    None => return Ok(None),
                }
            }
        };
        let figures = Figures::parse(&output).map_err(anyhow::Error::msg)?;
        let figure = match case.kind {
            Kind::Throughput => figures.messages_per_second.map(|rate| rate as f64),
            Kind::Latency => figures.latency_us,
        };
        figure
            .map(Some)
            .with_context(|| format!("no figure in the output of {case:?}:\n{output}"))
    }
}

impl Drop for Measurer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.ipc_dir);
    }
}

/// An inproc tool: one process, free to use every CPU; its output.
fn run_alone(binary: &Path, args: &[&str]) -> anyhow::Result<String> {
    let mut tool = spawn(binary, args, None)?;
    finish(&mut tool, binary, Instant::now() + DEADLINE)
}

/// The local tool binds, the remote one connects once the endpoint is ready.
/// The figure comes from local_thr, or from remote_lat. `None` if local_thr
/// never received every message that remote_thr sent before it exited.
struct Pair {
    local: PathBuf,
    remote: PathBuf,
    cpus: Option<(usize, usize)>,
}

impl Pair {
    fn run(&self, args: &[&str], kind: Kind) -> anyhow::Result<Option<String>> {
        let (local, remote) = (self.local.as_path(), self.remote.as_path());
        let deadline = Instant::now() + DEADLINE;
        let mut local_tool = spawn(local, args, self.cpus.map(|(cpu, _)| cpu))?;
        // remote_lat's clock starts before its first send: connecting to an
        // endpoint not yet bound would time a reconnect interval too.
        if let Err(error) = wait_until_bound(args[0], &mut local_tool, deadline) {
            let _ = local_tool.kill();
            let _ = local_tool.wait();
            return Err(error);
        }
        let mut remote_tool = match spawn(remote, args, self.cpus.map(|(_, cpu)| cpu)) {
            Ok(tool) => tool,
            Err(error) => {
                let _ = local_tool.kill();
                let _ = local_tool.wait();
                return Err(error);
            }
        };
        match kind {
            Kind::Throughput => {
                let remote_output = finish(&mut remote_tool, remote, deadline);
                if let Err(error) = remote_output {
                    let _ = local_tool.kill();
                    let _ = local_tool.wait();
                    return Err(error);
                }
                // Once remote_thr has exited, what it sent is on its way: local_thr
                // only has its queues to drain. Over ipc, libzmq 4.3 sometimes
                // drops a sender's last queued messages as it terminates, and
                // local_thr would wait for them for ever.
                let drained = Instant::now() + DRAIN;
                loop {
                    if local_tool.try_wait()?.is_some() {
                        return finish(&mut local_tool, local, deadline).map(Some);
                    }
                    if Instant::now() > drained {
                        let _ = local_tool.kill();
                        let _ = local_tool.wait();
                        return Ok(None);
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            Kind::Latency => {
                let remote_output = finish(&mut remote_tool, remote, deadline);
                // The figure is in. The C local_lat sleeps a second before it
                // closes; no need to wait for that.
                let _ = local_tool.kill();
                let _ = local_tool.wait();
                remote_output.map(Some)
            }
        }
    }
}

/// Start a tool, pinned to `cpu` if given.
fn spawn(binary: &Path, args: &[&str], cpu: Option<usize>) -> anyhow::Result<Child> {
    let mut command = Command::new(binary);
    if let Some(cpu) = cpu {
        // SAFETY: between fork and exec the closure makes one system call,
        // which is async-signal-safe, and allocates nothing.
        unsafe {
            command.pre_exec(move || pin_to(cpu));
        }
    }
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}

/// Wait for the tool to exit (killing it at the deadline) and return its
/// output; an error if it failed.
fn finish(tool: &mut Child, binary: &Path, deadline: Instant) -> anyhow::Result<String> {
    let status = loop {
        if let Some(status) = tool.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = tool.kill();
            let _ = tool.wait();
            bail!("{} took longer than {DEADLINE:?}", binary.display());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(pipe) = tool.stdout.as_mut() {
        pipe.read_to_string(&mut stdout)?;
    }
    if let Some(pipe) = tool.stderr.as_mut() {
        pipe.read_to_string(&mut stderr)?;
    }
    if !status.success() {
        bail!("{} failed ({status}): {stdout}{stderr}", binary.display());
    }
    Ok(stdout)
}

/// Two CPUs this process may run on: each side of a pair gets one of its own,
/// so the two do not take turns on one CPU, which made runs disagree by tens
/// of percent on a 2-core machine. `None` with fewer than two.
fn two_cpus() -> Option<(usize, usize)> {
    // SAFETY: cpu_set_t is plain bits; sched_getaffinity fills it in.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    if unsafe { libc::sched_getaffinity(0, size, &mut set) } != 0 {
        return None;
    }
    let mut allowed =
        (0..libc::CPU_SETSIZE as usize).filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) });
    Some((allowed.next()?, allowed.next()?))
}

/// Run the calling process (a tool about to exec) on `cpu` alone.
fn pin_to(cpu: usize) -> std::io::Result<()> {
    // SAFETY: as in two_cpus; sched_setaffinity only reads the set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    unsafe { libc::CPU_SET(cpu, &mut set) };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    if unsafe { libc::sched_setaffinity(0, size, &set) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Wait until something listens on `endpoint` (tcp:// or ipc://).
fn wait_until_bound(endpoint: &str, tool: &mut Child, deadline: Instant) -> anyhow::Result<()> {
    loop {
        let bound = if let Some(address) = endpoint.strip_prefix("tcp://") {
            std::net::TcpStream::connect(address).is_ok()
        } else if let Some(path) = endpoint.strip_prefix("ipc://") {
            Path::new(path).exists()
        } else {
            bail!("cannot tell when {endpoint} is bound");
        };
        if bound {
            return Ok(());
        }
        if let Some(status) = tool.try_wait()? {
            bail!("the tool binding {endpoint} exited before it was bound: {status}");
        }
        if Instant::now() > deadline {
            bail!("nothing bound {endpoint} within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
