//! Every lesson in one table: its name, its page, and its processes. The
//! `workbook` runner, the integration tests and the documentation test all read
//! this table, so a lesson cannot exist in one of them and not the others.
//!
//! Endpoints are written out with the guide's ports. [`Lesson::plan`] can shift
//! every TCP port by an offset, so several lessons (or several tests) can run
//! side by side on one machine.

/// One lesson: one section of the guide, run as a set of processes.
pub struct Lesson {
    /// What `cargo run -- run NAME` takes.
    pub name: &'static str,
    /// The guide's section title.
    pub title: &'static str,
    /// The page, relative to chapters/.
    pub page: &'static str,
    pub processes: &'static [Process],
}

/// One process of a lesson (or several copies of it, for workers).
pub struct Process {
    /// What the runner prints before each line of its output.
    pub label: &'static str,
    /// The example it runs (examples/NAME.rs).
    pub example: &'static str,
    /// Its arguments. `{workers}` becomes the number of workers.
    pub args: &'static [&'static str],
    pub role: Role,
    pub copies: Copies,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The lesson is over when every `Ends` process has exited.
    Ends,
    /// Runs until the lesson is over (a server), or exits by itself on the way.
    Runs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copies {
    One,
    /// As many as `--workers` says (three unless told).
    Workers,
    Fixed(usize),
}

/// How many workers a lesson starts unless told otherwise.
pub const DEFAULT_WORKERS: usize = 3;

/// Examples that take `--seed`: the runner and the tests pass one on.
pub const SEEDED: &[&str] = &["wuserver", "taskvent"];

use Copies::*;
use Role::*;

pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "hello",
        title: "Ask and Ye Shall Receive",
        page: "chapter1/hello.md",
        processes: &[
            Process {
                label: "server",
                example: "hwserver",
                args: &["--bind", "tcp://127.0.0.1:5555"],
                role: Runs,
                copies: One,
            },
            Process {
                label: "client",
                example: "hwclient",
                args: &["--connect", "tcp://localhost:5555"],
                role: Ends,
                copies: One,
            },
        ],
    },
    Lesson {
        name: "version",
        title: "Version Reporting",
        page: "chapter1/version.md",
        processes: &[Process {
            label: "version",
            example: "version",
            args: &[],
            role: Ends,
            copies: One,
        }],
    },
    Lesson {
        name: "weather",
        title: "Getting the Message Out",
        page: "chapter1/weather.md",
        processes: &[
            Process {
                label: "server",
                example: "wuserver",
                args: &["--bind", "tcp://127.0.0.1:5556"],
                role: Runs,
                copies: One,
            },
            Process {
                label: "client",
                example: "wuclient",
                args: &["--connect", "tcp://localhost:5556"],
                role: Ends,
                copies: One,
            },
        ],
    },
    Lesson {
        name: "pipeline",
        title: "Divide and Conquer",
        page: "chapter1/pipeline.md",
        processes: &[
            Process {
                label: "sink",
                example: "tasksink",
                args: &["--bind", "tcp://127.0.0.1:5558"],
                role: Ends,
                copies: One,
            },
            Process {
                label: "worker",
                example: "taskwork",
                args: &[
                    "--ventilator",
                    "tcp://localhost:5557",
                    "--sink",
                    "tcp://localhost:5558",
                ],
                role: Runs,
                copies: Workers,
            },
            PIPELINE_VENTILATOR,
        ],
    },
    Lesson {
        name: "pipeline-kill",
        title: "Handling Errors and ETERM",
        page: "chapter2/pipeline-kill.md",
        processes: &[
            Process {
                label: "sink",
                example: "tasksink2",
                args: &[
                    "--bind",
                    "tcp://127.0.0.1:5558",
                    "--controller",
                    "tcp://127.0.0.1:5559",
                ],
                role: Ends,
                copies: One,
            },
            Process {
                label: "worker",
                example: "taskwork2",
                args: &[
                    "--ventilator",
                    "tcp://localhost:5557",
                    "--sink",
                    "tcp://localhost:5558",
                    "--controller",
                    "tcp://localhost:5559",
                ],
                // Workers end the lesson too: each must exit on KILL by itself.
                role: Ends,
                copies: Workers,
            },
            PIPELINE_VENTILATOR,
        ],
    },
    Lesson {
        name: "msreader",
        title: "Handling Multiple Sockets: reading without blocking",
        page: "chapter2/msreader.md",
        processes: &MULTI_SOCKET_PROCESSES[0],
    },
    Lesson {
        name: "mspoller",
        title: "Handling Multiple Sockets: polling",
        page: "chapter2/mspoller.md",
        processes: &MULTI_SOCKET_PROCESSES[1],
    },
    Lesson {
        name: "mtserver",
        title: "Multithreading with ZeroMQ",
        page: "chapter2/mtserver.md",
        processes: &[
            Process {
                label: "server",
                example: "mtserver",
                args: &["--bind", "tcp://127.0.0.1:5555"],
                role: Runs,
                copies: One,
            },
            Process {
                label: "client",
                example: "hwclient",
                args: &["--connect", "tcp://localhost:5555"],
                role: Ends,
                // Three clients at once: five worker threads serve them in parallel.
                copies: Fixed(3),
            },
        ],
    },
    Lesson {
        name: "throughput",
        title: "Measuring throughput",
        page: "performance.md",
        processes: &[
            Process {
                label: "local",
                example: "local_thr",
                args: &["tcp://127.0.0.1:5555", "256", "100000"],
                role: Ends,
                copies: One,
            },
            Process {
                label: "remote",
                example: "remote_thr",
                args: &["tcp://127.0.0.1:5555", "256", "100000"],
                role: Ends,
                copies: One,
            },
        ],
    },
    Lesson {
        name: "latency",
        title: "Measuring latency",
        page: "performance.md",
        processes: &[
            Process {
                label: "local",
                example: "local_lat",
                args: &["tcp://127.0.0.1:5555", "256", "10000"],
                role: Ends,
                copies: One,
            },
            Process {
                label: "remote",
                example: "remote_lat",
                args: &["tcp://127.0.0.1:5555", "256", "10000"],
                role: Ends,
                copies: One,
            },
        ],
    },
    Lesson {
        name: "inproc-throughput",
        title: "Measuring throughput between threads",
        page: "performance.md",
        processes: &[Process {
            label: "inproc",
            example: "inproc_thr",
            args: &["256", "100000"],
            role: Ends,
            copies: One,
        }],
    },
    Lesson {
        name: "inproc-latency",
        title: "Measuring latency between threads",
        page: "performance.md",
        processes: &[Process {
            label: "inproc",
            example: "inproc_lat",
            args: &["256", "10000"],
            role: Ends,
            copies: One,
        }],
    },
];

/// msreader and mspoller read the same two streams: the weather server's
/// updates and the ventilator's tasks. They run until Ctrl-C.
const MULTI_SOCKET_PROCESSES: [[Process; 3]; 2] = [
    multi_socket_lesson("msreader"),
    multi_socket_lesson("mspoller"),
];

const fn multi_socket_lesson(reader: &'static str) -> [Process; 3] {
    [
        Process {
            label: "weather",
            example: "wuserver",
            args: &["--bind", "tcp://127.0.0.1:5556"],
            role: Runs,
            copies: One,
        },
        Process {
            label: "reader",
            example: reader,
            args: &[
                "--ventilator",
                "tcp://localhost:5557",
                "--weather",
                "tcp://localhost:5556",
            ],
            role: Runs,
            copies: One,
        },
        Process {
            label: "ventilator",
            example: "taskvent",
            // One PULL peer: the reader. No sink runs in this lesson, so the
            // start-of-batch signal is dropped when taskvent's linger ends.
            args: &[
                "--bind",
                "tcp://127.0.0.1:5557",
                "--sink",
                "tcp://localhost:5558",
                "--workers",
                "1",
            ],
            role: Runs,
            copies: One,
        },
    ]
}

/// The pipeline lessons' taskvent: it deals its batch once every worker is
/// connected, then exits by itself; the lesson does not wait for it.
const PIPELINE_VENTILATOR: Process = Process {
    label: "ventilator",
    example: "taskvent",
    args: &[
        "--bind",
        "tcp://127.0.0.1:5557",
        "--sink",
        "tcp://localhost:5558",
        "--workers",
        "{workers}",
    ],
    role: Runs,
    copies: One,
};

/// The lesson called `name`.
pub fn lesson(name: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|lesson| lesson.name == name)
}

/// How to start a lesson.
#[derive(Clone, Debug)]
pub struct Settings {
    pub workers: usize,
    /// Added to every TCP port.
    pub port_offset: u16,
    /// Passed as `--seed` to the examples that take one.
    pub seed: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            workers: DEFAULT_WORKERS,
            port_offset: 0,
            seed: None,
        }
    }
}

/// One process, ready to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// "worker 2" for the second copy of a worker.
    pub label: String,
    pub example: &'static str,
    pub args: Vec<String>,
    pub role: Role,
}

impl Planned {
    /// The command a learner would type to start this process by hand.
    pub fn command_line(&self) -> String {
        let mut line = format!("cargo run --example {}", self.example);
        if !self.args.is_empty() {
            line.push_str(" --");
            for arg in &self.args {
                line.push(' ');
                line.push_str(arg);
            }
        }
        line
    }
}

impl Lesson {
    /// Every process to start, in order, with its final arguments.
    pub fn plan(&self, settings: &Settings) -> anyhow::Result<Vec<Planned>> {
        anyhow::ensure!(settings.workers >= 1, "a lesson needs at least one worker");
        let mut planned = Vec::new();
        for process in self.processes {
            let copies = match process.copies {
                One => 1,
                Workers => settings.workers,
                Fixed(n) => n,
            };
            for copy in 1..=copies {
                let mut args = process
                    .args
                    .iter()
                    .map(|arg| {
                        let arg = arg.replace("{workers}", &settings.workers.to_string());
                        shift_port(&arg, settings.port_offset)
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                if let (Some(seed), true) = (settings.seed, SEEDED.contains(&process.example)) {
                    args.extend(["--seed".to_string(), seed.to_string()]);
                }
                let label = if copies == 1 {
                    process.label.to_string()
                } else {
                    format!("{} {copy}", process.label)
                };
                planned.push(Planned {
                    label,
                    example: process.example,
                    args,
                    role: process.role,
                });
            }
        }
        Ok(planned)
    }

    /// Every example this lesson runs, once each.
    pub fn examples(&self) -> Vec<&'static str> {
        let mut examples = Vec::new();
        for process in self.processes {
            if !examples.contains(&process.example) {
                examples.push(process.example);
            }
        }
        examples
    }
}

/// `tcp://host:5555` with `offset` added to the port; anything else unchanged.
fn shift_port(arg: &str, offset: u16) -> anyhow::Result<String> {
    if offset == 0 || !arg.starts_with("tcp://") {
        return Ok(arg.to_string());
    }
    let (host, port) = arg
        .rsplit_once(':')
        .ok_or_else(|| anyhow::anyhow!("{arg}: no port"))?;
    let port: u16 = port.parse()?;
    let shifted = port
        .checked_add(offset)
        .ok_or_else(|| anyhow::anyhow!("port {port} + offset {offset} is past 65535"))?;
    Ok(format!("{host}:{shifted}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_names_are_unique() {
        let mut names: Vec<_> = LESSONS.iter().map(|l| l.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), LESSONS.len());
    }

    #[test]
    fn plan_shifts_ports_names_copies_and_passes_seeds() {
        let settings = Settings {
            workers: 2,
            port_offset: 100,
            seed: Some(7),
        };
        let plan = lesson("pipeline").unwrap().plan(&settings).unwrap();
        let labels: Vec<_> = plan.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["sink", "worker 1", "worker 2", "ventilator"]);
        assert_eq!(plan[0].args, ["--bind", "tcp://127.0.0.1:5658"]);
        assert_eq!(
            plan[3].args,
            [
                "--bind",
                "tcp://127.0.0.1:5657",
                "--sink",
                "tcp://localhost:5658",
                "--workers",
                "2",
                "--seed",
                "7"
            ]
        );
    }

    #[test]
    fn command_line_is_what_a_learner_types() {
        let plan = lesson("hello").unwrap().plan(&Settings::default()).unwrap();
        assert_eq!(
            plan[0].command_line(),
            "cargo run --example hwserver -- --bind tcp://127.0.0.1:5555"
        );
    }

    #[test]
    fn a_port_pushed_past_the_range_is_an_error() {
        assert!(shift_port("tcp://localhost:65000", 1000).is_err());
        assert_eq!(shift_port("inproc://x", 1000).unwrap(), "inproc://x");
    }
}
