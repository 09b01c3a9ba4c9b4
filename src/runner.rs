//! Start a lesson's processes, relay their output, and stop them cleanly.
//!
//! The `workbook run` command and the integration tests both drive lessons
//! through [`run`]: the command prints each chunk of output with a coloured
//! label, the tests collect it and may stop the lesson once they have seen what
//! they wait for. A lesson is over when every process with [`Role::Ends`] has
//! exited; the rest are then sent Ctrl-C (SIGINT), as a learner would, and given
//! a grace period before they are killed. Any process failing ends the lesson.
//!
//! A process's arguments may name [`RUN_DIR`]: a folder of the run's own,
//! shared by its processes (the brokers of chapter 3 meet there over ipc://),
//! made before the first starts and removed once the last has exited, so
//! two runs side by side never meet.
//!
//! No process outlives the runner: whatever ends [`run`] (a panic included)
//! kills what is left, and on Linux the kernel kills them if the runner itself
//! is killed outright (a parent-death signal).

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::catalogue::{Planned, Role};
use crate::interrupt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What [`run`] reports while a lesson runs.
pub enum Event<'a> {
    /// A process wrote this (whatever one read of its pipe returned).
    Output {
        process: usize,
        stream: Stream,
        data: &'a [u8],
    },
    /// A process's pipe reached its end: everything it wrote there has been
    /// reported (a process can exit before its last output is read).
    Closed { process: usize, stream: Stream },
    /// The lesson is over and its remaining processes are being stopped.
    Stopping { why: Ending },
    /// A process exited; `None` if it had to be killed.
    Exited {
        process: usize,
        status: Option<ExitStatus>,
    },
}

/// What the observer wants after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// End the lesson now (stop every process with Ctrl-C).
    Stop,
}

/// Why a lesson ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every process that ends the lesson exited.
    Finished,
    /// Ctrl-C.
    Interrupted,
    /// The observer asked to stop.
    Observer,
    /// A process exited with a failure while the lesson was running.
    Failed { process: usize },
    /// The deadline passed: everything was killed.
    TimedOut,
}

pub struct Options {
    /// Where the example binaries are (target/debug/examples).
    pub bin_dir: PathBuf,
    /// Kill everything if the lesson is not over by then (the tests set one).
    pub deadline: Option<Duration>,
    /// How long processes get to exit after Ctrl-C before they are killed.
    pub grace: Duration,
    /// The processes' temporary folder (`TMPDIR`), where the case studies
    /// keep their databases; `None`: the system's. The tests give each run
    /// a fresh one, so that no run finds another's data.
    pub temp_dir: Option<PathBuf>,
}

pub struct Outcome {
    pub ending: Ending,
    /// Each process's exit status; `None` if it had to be killed.
    pub statuses: Vec<Option<ExitStatus>>,
}

impl Outcome {
    /// The lesson finished (or was stopped on purpose) and every process
    /// exited with status 0.
    pub fn success(&self) -> bool {
        !matches!(self.ending, Ending::TimedOut | Ending::Failed { .. })
            && self
                .statuses
                .iter()
                .all(|status| status.is_some_and(|s| s.success()))
    }
}

/// How long, once every process has exited, the runner goes on reading what
/// they wrote before it gives up on pipes that stay open.
const DRAIN_AFTER_EXIT: Duration = Duration::from_secs(30);

enum Message {
    Data(usize, Stream, Vec<u8>),
    Closed(usize, Stream),
}

/// In a process's arguments, this becomes the run's own folder (see the
/// module's documentation).
pub const RUN_DIR: &str = "{run_dir}";

/// The run's own folder, if its processes name [`RUN_DIR`]: made in `parent`
/// (the system's temporary folder if `None`), removed when dropped.
fn run_dir(
    plan: &[Planned],
    parent: Option<&std::path::Path>,
) -> anyhow::Result<Option<tempfile::TempDir>> {
    if !plan
        .iter()
        .flat_map(|p| &p.args)
        .any(|a| a.contains(RUN_DIR))
    {
        return Ok(None);
    }
    let parent = parent.map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = tempfile::Builder::new()
        .prefix("zmq-workbook-run-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot make a folder for the run in {}", parent.display()))?;
    Ok(Some(dir))
}

/// Run the planned processes until the lesson is over; report every event to
/// `observe`. Every process has exited when this returns.
pub fn run(
    plan: &[Planned],
    options: &Options,
    mut observe: impl FnMut(Event) -> Flow,
) -> anyhow::Result<Outcome> {
    // Declared before the children: dropped after them, once they have exited.
    let run_dir = run_dir(plan, options.temp_dir.as_deref())?;
    let (sender, receiver) = mpsc::channel();
    let mut children = Children(Vec::new());
    let mut open_pipes = 0;
    for (index, process) in plan.iter().enumerate() {
        let binary = options.bin_dir.join(process.example);
        let mut command = Command::new(&binary);
        let args = process.args.iter().map(|arg| match &run_dir {
            Some(dir) => arg.replace(RUN_DIR, &dir.path().to_string_lossy()),
            None => arg.clone(),
        });
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = &options.temp_dir {
            command.env("TMPDIR", dir);
        }
        die_with_this_process(&mut command);
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        relay(index, Stream::Stdout, stdout, sender.clone());
        relay(index, Stream::Stderr, stderr, sender.clone());
        open_pipes += 2;
        children.0.push(child);
    }
    drop(sender);
    let children = &mut children.0;

    let started = Instant::now();
    let mut statuses: Vec<Option<Option<ExitStatus>>> = vec![None; children.len()];
    let mut ending: Option<(Ending, Instant)> = None;
    let ends_lesson: Vec<bool> = plan.iter().map(|p| p.role == Role::Ends).collect();
    let has_end = ends_lesson.contains(&true);
    // The processes still to be sent Ctrl-C, once the lesson is stopping.
    let mut to_interrupt = vec![false; children.len()];
    // When the last process exited, if it has.
    let mut exited_at: Option<Instant> = None;

    while statuses.iter().any(Option::is_none) || open_pipes > 0 {
        let mut flow = Flow::Continue;
        let mut failed = None;
        match receiver.recv_timeout(Duration::from_millis(20)) {
            Ok(Message::Data(process, stream, data)) => {
                flow = observe(Event::Output {
                    process,
                    stream,
                    data: &data,
                });
            }
            Ok(Message::Closed(process, stream)) => {
                open_pipes -= 1;
                flow = observe(Event::Closed { process, stream });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => open_pipes = 0,
        }

        for (index, child) in children.iter_mut().enumerate() {
            if statuses[index].is_some() {
                continue;
            }
            if let Some(status) = child.try_wait()? {
                statuses[index] = Some(Some(status));
                if observe(Event::Exited {
                    process: index,
                    status: Some(status),
                }) == Flow::Stop
                {
                    flow = Flow::Stop;
                }
                if ending.is_none() && failed.is_none() && !status.success() {
                    failed = Some(index);
                }
            }
        }
        if let (None, Some(process)) = (ending, failed) {
            ending = Some((Ending::Failed { process }, Instant::now()));
            observe(Event::Stopping {
                why: Ending::Failed { process },
            });
            to_interrupt = statuses.iter().map(Option::is_none).collect();
        }

        if ending.is_none() {
            let finished =
                has_end && (0..children.len()).all(|i| !ends_lesson[i] || statuses[i].is_some());
            let why = if finished {
                Some(Ending::Finished)
            } else if interrupt::interrupted() {
                Some(Ending::Interrupted)
            } else if flow == Flow::Stop {
                Some(Ending::Observer)
            } else {
                None
            };
            if let Some(why) = why {
                ending = Some((why, Instant::now()));
                observe(Event::Stopping { why });
                to_interrupt = statuses.iter().map(Option::is_none).collect();
            }
        }
        interrupt_when_ready(children, &statuses, &mut to_interrupt);

        let timed_out = options
            .deadline
            .is_some_and(|deadline| started.elapsed() > deadline);
        // The grace period is for processes still running. Once every one
        // has exited, what is left is reading what they wrote, which a busy
        // machine may take a while to hand over: it gets its own, longer
        // bound (a grandchild holding a pipe open would keep it open).
        let all_exited = statuses.iter().all(Option::is_some);
        let grace_over =
            !all_exited && ending.is_some_and(|(_, since)| since.elapsed() > options.grace);
        let drained_long_enough = all_exited
            && *exited_at.get_or_insert_with(Instant::now) + DRAIN_AFTER_EXIT < Instant::now();
        if timed_out || grace_over || drained_long_enough {
            if timed_out {
                ending = Some((Ending::TimedOut, Instant::now()));
            }
            for (index, child) in children.iter_mut().enumerate() {
                if statuses[index].is_none() {
                    let _ = child.kill();
                    let _ = child.wait();
                    statuses[index] = Some(None);
                    observe(Event::Exited {
                        process: index,
                        status: None,
                    });
                }
            }
            // A killed process's pipes close; a grandchild holding them would
            // keep them open, so do not wait for the relays forever.
            let drain_until = Instant::now() + Duration::from_secs(1);
            while open_pipes > 0 && Instant::now() < drain_until {
                match receiver.recv_timeout(Duration::from_millis(20)) {
                    Ok(Message::Data(process, stream, data)) => {
                        observe(Event::Output {
                            process,
                            stream,
                            data: &data,
                        });
                    }
                    Ok(Message::Closed(process, stream)) => {
                        open_pipes -= 1;
                        observe(Event::Closed { process, stream });
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            break;
        }
    }

    Ok(Outcome {
        ending: ending.map_or(Ending::Finished, |(why, _)| why),
        statuses: statuses.into_iter().map(Option::flatten).collect(),
    })
}

/// The lesson's processes. Dropping them (the lesson is over, or [`run`] is
/// unwinding from a panic) kills and reaps whichever is still running.
struct Children(Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            // Both do nothing for a child already reaped.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Have the kernel kill the child if this process dies first, even by
/// SIGKILL, when nothing else could stop the lesson.
#[cfg(target_os = "linux")]
fn die_with_this_process(command: &mut Command) {
    use std::os::unix::process::CommandExt as _;
    let parent = std::process::id();
    // SAFETY: between fork and exec the closure calls only prctl, getppid and
    // raise, which are async-signal-safe, and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            // This process may have died before the prctl: then go at once.
            if libc::getppid() as u32 != parent {
                libc::raise(libc::SIGKILL);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_this_process(_command: &mut Command) {}

/// Copy one pipe of a child into the channel, chunk by chunk, as it comes.
fn relay(
    process: usize,
    stream: Stream,
    mut pipe: impl Read + Send + 'static,
    sender: mpsc::Sender<Message>,
) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        loop {
            match pipe.read(&mut buffer) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if sender
                        .send(Message::Data(process, stream, buffer[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
        let _ = sender.send(Message::Closed(process, stream));
    });
}

/// Send Ctrl-C (SIGINT) to each process in `to_interrupt` that is still
/// running and ready for it. A process that has not yet installed its handler
/// would be killed by the signal, so it gets it a little later (or, if it
/// never gets ready, is killed when the grace period is over).
fn interrupt_when_ready(
    children: &[Child],
    statuses: &[Option<Option<ExitStatus>>],
    to_interrupt: &mut [bool],
) {
    for ((child, status), pending) in children.iter().zip(statuses).zip(to_interrupt) {
        if *pending && (status.is_some() || catches_sigint(child.id())) {
            if status.is_none() {
                send_sigint(child.id());
            }
            *pending = false;
        }
    }
}

/// Whether process `pid` has a handler for SIGINT: bit 2 of the SigCgt mask
/// in /proc/PID/status.
#[cfg(target_os = "linux")]
pub fn catches_sigint(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("SigCgt:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (libc::SIGINT - 1)) != 0)
}

/// Elsewhere there is no way to tell: assume it is ready.
#[cfg(not(target_os = "linux"))]
pub fn catches_sigint(_pid: u32) -> bool {
    true
}

/// Send SIGINT, as Ctrl-C in a terminal would.
#[cfg(unix)]
pub fn send_sigint(pid: u32) {
    // SAFETY: kill(2) with a pid we spawned and have not reaped yet.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGINT);
    }
}

/// Elsewhere there is no SIGINT to send: the processes are killed once the
/// grace period is over.
#[cfg(not(unix))]
pub fn send_sigint(_pid: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process running `sh -c SCRIPT`, which ends the lesson.
    fn shell(script: &str) -> Planned {
        Planned {
            label: "sh".into(),
            example: "sh",
            args: vec!["-c".into(), script.into()],
            role: Role::Ends,
        }
    }

    /// Run `plan` with /bin as the examples' folder; what each process printed.
    fn run_shells(plan: &[Planned], temp_dir: Option<PathBuf>) -> Vec<String> {
        let options = Options {
            bin_dir: PathBuf::from("/bin"),
            deadline: Some(Duration::from_secs(30)),
            grace: Duration::from_secs(5),
            temp_dir,
        };
        let mut stdout = vec![String::new(); plan.len()];
        let outcome = run(plan, &options, |event| {
            if let Event::Output {
                process,
                stream: Stream::Stdout,
                data,
            } = event
            {
                stdout[process].push_str(&String::from_utf8_lossy(data));
            }
            Flow::Continue
        })
        .expect("the shells start");
        assert!(outcome.success(), "{:?}", outcome.statuses);
        stdout
    }

    #[test]
    fn the_run_dir_is_one_folder_for_every_process_removed_at_the_end() {
        let parent = tempfile::tempdir().unwrap();
        let plan = [
            shell("test -d {run_dir} && touch {run_dir}/a.ipc && echo {run_dir}"),
            shell("test -d {run_dir} && echo {run_dir}"),
        ];
        let seen = run_shells(&plan, Some(parent.path().to_path_buf()));
        let dir = PathBuf::from(seen[0].trim());
        assert_eq!(seen[0], seen[1], "both processes got the same folder");
        assert_eq!(
            dir.parent(),
            Some(parent.path()),
            "made in the run's temp dir"
        );
        assert!(
            !dir.exists(),
            "{} removed with what was in it",
            dir.display()
        );
    }

    #[test]
    fn each_run_has_a_run_dir_of_its_own_and_none_without_the_placeholder() {
        let plan = [shell("echo {run_dir}")];
        let (first, second) = (run_shells(&plan, None), run_shells(&plan, None));
        assert_ne!(first, second);
        assert!(first[0].starts_with(&std::env::temp_dir().display().to_string()));
        let plain = [shell("echo no folder")];
        assert_eq!(run_dir(&plain, None).unwrap().map(|d| d.keep()), None);
        assert_eq!(run_shells(&plain, None), ["no folder\n"]);
    }
}
