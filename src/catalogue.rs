//! Every lesson in one table: its name, its page, and its processes. The
//! `workbook` runner, the integration tests and the documentation test all read
//! this table, so a lesson cannot exist in one of them and not the others.
//!
//! Lessons are grouped by the book's chapters, in the book's order. An entry is
//! a few lines: [`Lesson::new`] with its processes, each made by [`runs`] (a
//! process that runs until the lesson is over) or [`ends`] (the lesson is over
//! when every such process has exited), and `.workers()` or `.copies(n)` for a
//! process started several times.
//!
//! Endpoints are written out with the guide's ports. [`Lesson::plan`] can move
//! them ([`Ports`]), so several lessons, or several tests, can run side by side
//! on one machine.

/// A part of the book: a chapter of the guide, or one of the workbook's own.
pub struct Chapter {
    /// As the book's table of contents names it.
    pub title: &'static str,
    pub lessons: &'static [Lesson],
}

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
pub const SEEDED: &[&str] = &[
    "wuserver",
    "taskvent",
    "lbtaskvent",
    "randpub",
    "topicpub",
    "discovery_computer",
    "rtreq",
    "rtdealer",
    "asyncsrv",
    "peering1",
    "peering2",
    "peering3",
];

/// A process that runs until the lesson is over (a server, a worker), or exits
/// by itself on the way.
pub const fn runs(
    label: &'static str,
    example: &'static str,
    args: &'static [&'static str],
) -> Process {
    Process {
        label,
        example,
        args,
        role: Role::Runs,
        copies: Copies::One,
    }
}

/// A process whose exit ends the lesson (a client, a sink); with several, the
/// lesson is over when all of them have exited.
pub const fn ends(
    label: &'static str,
    example: &'static str,
    args: &'static [&'static str],
) -> Process {
    Process {
        role: Role::Ends,
        ..runs(label, example, args)
    }
}

impl Process {
    /// Started `--workers` times (three unless told), labelled "worker 1" ….
    pub const fn workers(self) -> Process {
        Process {
            copies: Copies::Workers,
            ..self
        }
    }

    /// Started `n` times, labelled "client 1" ….
    pub const fn copies(self, n: usize) -> Process {
        Process {
            copies: Copies::Fixed(n),
            ..self
        }
    }
}

impl Lesson {
    pub const fn new(
        name: &'static str,
        title: &'static str,
        page: &'static str,
        processes: &'static [Process],
    ) -> Lesson {
        Lesson {
            name,
            title,
            page,
            processes,
        }
    }
}

/// The book's chapters and their lessons. Laid out by hand, as a table.
#[rustfmt::skip]
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        title: "Chapter 1: Basics",
        lessons: &[
            Lesson::new("hello", "Ask and Ye Shall Receive", "chapter1/hello.md", &[
                runs("server", "hwserver", &["--bind", "tcp://127.0.0.1:5555"]),
                ends("client", "hwclient", &["--connect", "tcp://localhost:5555"]),
            ]),
            Lesson::new("version", "Version Reporting", "chapter1/version.md", &[
                ends("version", "version", &[]),
            ]),
            Lesson::new("weather", "Getting the Message Out", "chapter1/weather.md", &[
                runs("server", "wuserver", &["--bind", "tcp://127.0.0.1:5556"]),
                ends("client", "wuclient", &["--connect", "tcp://localhost:5556"]),
            ]),
            Lesson::new("pipeline", "Divide and Conquer", "chapter1/pipeline.md", &[
                ends("sink", "tasksink", &["--bind", "tcp://127.0.0.1:5558"]),
                runs("worker", "taskwork", &[
                    "--ventilator", "tcp://localhost:5557",
                    "--sink", "tcp://localhost:5558",
                ])
                .workers(),
                PIPELINE_VENTILATOR,
            ]),
        ],
    },
    Chapter {
        title: "Chapter 2: Sockets and Patterns",
        lessons: &[
            Lesson::new("bind-connect", "Plugging Sockets into the Topology", "chapter2/bind-connect.md", &[
                // Started first; its request waits until the server binds.
                ends("client", "earlyclient", &["--connect", "tcp://localhost:5555"]),
                runs("server", "lateserver", &["--bind", "tcp://127.0.0.1:5555", "--delay-ms", "1000"]),
                ends("multibind", "multibind", &["--bind", "tcp://127.0.0.1:5570"]),
                ends("linger", "linger", &[
                    "--connect", "tcp://localhost:5571",
                    "--bind", "tcp://127.0.0.1:5571",
                ]),
            ]),
            Lesson::new("messages", "Working with Messages", "chapter2/messages.md", &[
                ends("multipart", "multipart", &[]),
                ends("zerocopy", "zerocopy", &[]),
            ]),
            Lesson::new(
                "msreader",
                "Handling Multiple Sockets: reading without blocking",
                "chapter2/msreader.md",
                &MSREADER,
            ),
            Lesson::new(
                "mspoller",
                "Handling Multiple Sockets: polling",
                "chapter2/mspoller.md",
                &MSPOLLER,
            ),
            // Three lessons, one page: REQ deals out in turn, PULL and SUB take in turn.
            Lesson::new("round-robin", "Load Balancing: REQ to Several Services", "chapter2/fair-queuing.md", &[
                runs("service A", "rrservice", &["--bind", "tcp://127.0.0.1:5570", "--name", "A"]),
                runs("service B", "rrservice", &["--bind", "tcp://127.0.0.1:5571", "--name", "B"]),
                runs("service C", "rrservice", &["--bind", "tcp://127.0.0.1:5572", "--name", "C"]),
                ends("client", "rrspread", &[
                    "--connect", "tcp://localhost:5570",
                    "--connect", "tcp://localhost:5571",
                    "--connect", "tcp://localhost:5572",
                ]),
            ]),
            Lesson::new("fair-queuing", "Fair Queuing: PULL from Several Senders", "chapter2/fair-queuing.md", &[
                ends("sender A", "fqsender", &["--bind", "tcp://127.0.0.1:5575", "--name", "A"]),
                ends("sender B", "fqsender", &["--bind", "tcp://127.0.0.1:5576", "--name", "B"]),
                ends("sender C", "fqsender", &["--bind", "tcp://127.0.0.1:5577", "--name", "C"]),
                ends("reader", "fqreader", &[
                    "--connect", "tcp://localhost:5575",
                    "--connect", "tcp://localhost:5576",
                    "--connect", "tcp://localhost:5577",
                ]),
            ]),
            Lesson::new("sub-fair-queuing", "Fair Queuing: SUB from Several Publishers", "chapter2/fair-queuing.md", &[
                // A busy publisher and two quieter ones: A cannot crowd B and C out.
                ends("publisher A", "fqsender", &["--bind", "tcp://127.0.0.1:5575", "--name", "A", "--publish", "--count", "6"]),
                ends("publisher B", "fqsender", &["--bind", "tcp://127.0.0.1:5576", "--name", "B", "--publish", "--count", "4"]),
                ends("publisher C", "fqsender", &["--bind", "tcp://127.0.0.1:5577", "--name", "C", "--publish", "--count", "2"]),
                ends("subscriber", "fqreader", &[
                    "--connect", "tcp://localhost:5575",
                    "--connect", "tcp://localhost:5576",
                    "--connect", "tcp://localhost:5577",
                    "--subscribe",
                ]),
            ]),
            Lesson::new(
                "shared-queue",
                "Shared Queue (DEALER and ROUTER sockets)",
                "chapter2/shared-queue.md",
                &broker_processes("rrbroker"),
            ),
            Lesson::new(
                "msgqueue",
                "ZeroMQ's Built-In Proxy Function",
                "chapter2/msgqueue.md",
                &broker_processes("msgqueue"),
            ),
            Lesson::new("streamer", "The Three Devices", "chapter2/devices.md", &[
                ends("sink", "tasksink", &["--bind", "tcp://127.0.0.1:5558"]),
                // The workers take their tasks from the streamer, not the ventilator.
                runs("worker", "taskwork", &[
                    "--ventilator", "tcp://localhost:5560",
                    "--sink", "tcp://localhost:5558",
                ])
                .workers(),
                // It connects to the ventilator once every worker is there...
                runs("streamer", "streamer", &[
                    "--frontend", "tcp://localhost:5557",
                    "--backend", "tcp://127.0.0.1:5560",
                    "--workers", "{workers}",
                ]),
                // ...and the ventilator's one peer is the streamer.
                runs("ventilator", "taskvent", &[
                    "--bind", "tcp://127.0.0.1:5557",
                    "--sink", "tcp://localhost:5558",
                    "--workers", "1",
                ]),
            ]),
            Lesson::new("wuproxy", "Transport Bridging", "chapter2/wuproxy.md", &[
                runs("server", "wuserver", &["--bind", "tcp://127.0.0.1:5556"]),
                // The proxy stands for a bridge between two networks: it takes
                // the server's updates on one side and binds the other for clients.
                runs("proxy", "wuproxy", &[
                    "--frontend", "tcp://localhost:5556",
                    "--backend", "tcp://127.0.0.1:8100",
                ]),
                ends("client", "wuclient", &["--connect", "tcp://localhost:8100"]),
            ]),
            Lesson::new("pipeline-kill", "Handling Errors and ETERM", "chapter2/pipeline-kill.md", &[
                ends("sink", "tasksink2", &[
                    "--bind", "tcp://127.0.0.1:5558",
                    "--controller", "tcp://127.0.0.1:5559",
                ]),
                // Workers end the lesson too: each must exit on KILL by itself.
                ends("worker", "taskwork2", &[
                    "--ventilator", "tcp://localhost:5557",
                    "--sink", "tcp://localhost:5558",
                    "--controller", "tcp://localhost:5559",
                ])
                .workers(),
                PIPELINE_VENTILATOR,
            ]),
            Lesson::new("interrupt", "Handling Interrupt Signals", "chapter2/interrupt.md", &[
                // Stopped by the runner's Ctrl-C once the client is done: the
                // signal reaches it through its self-pipe.
                runs("server", "interrupt", &["--bind", "tcp://127.0.0.1:5555"]),
                ends("client", "hwclient", &["--connect", "tcp://localhost:5555"]),
            ]),
            Lesson::new("mtserver", "Multithreading with ZeroMQ", "chapter2/mtserver.md", &[
                runs("server", "mtserver", &["--bind", "tcp://127.0.0.1:5555"]),
                // Three clients at once: five worker threads serve them in parallel.
                ends("client", "hwclient", &["--connect", "tcp://localhost:5555"]).copies(3),
            ]),
            Lesson::new("mtrelay", "Signaling Between Threads (PAIR Sockets)", "chapter2/mtrelay.md", &[
                ends("relay", "mtrelay", &[]),
            ]),
            Lesson::new("pair", "Exclusive Pair", "chapter2/pair.md", &[
                ends("bind side", "pairpeer", &["--bind", "tcp://127.0.0.1:5580"]),
                ends("connect side", "pairpeer", &["--connect", "tcp://localhost:5580"]),
                ends("threads", "pairthreads", &[]),
                ends("limits", "pairlimits", &["--bind", "tcp://127.0.0.1:5581"]),
            ]),
            Lesson::new("syncpub", "Node Coordination", "chapter2/syncpub.md", &[
                // The publisher ends the lesson too: it exits once its updates are out.
                ends("publisher", "syncpub", &[
                    "--bind", "tcp://127.0.0.1:5561",
                    "--sync", "tcp://127.0.0.1:5562",
                ]),
                ends("subscriber", "syncsub", &[
                    "--connect", "tcp://localhost:5561",
                    "--sync", "tcp://localhost:5562",
                ])
                .copies(10),
            ]),
            Lesson::new("nosync", "Node Coordination: without synchronisation", "chapter2/syncpub.md", &[
                // The same processes, told not to wait for one another.
                ends("publisher", "syncpub", &[
                    "--bind", "tcp://127.0.0.1:5561",
                    "--sync", "tcp://127.0.0.1:5562",
                    "--subscribers", "0",
                ]),
                ends("subscriber", "syncsub", &[
                    "--connect", "tcp://localhost:5561",
                    "--sync", "tcp://localhost:5562",
                    "--no-sync",
                ])
                .copies(10),
            ]),
            Lesson::new("psenv", "Pub-Sub Message Envelopes", "chapter2/psenv.md", &[
                runs("publisher", "psenvpub", &["--bind", "tcp://127.0.0.1:5563"]),
                // The guide's subscriber reads for ever; three envelopes end the lesson.
                ends("subscriber", "psenvsub", &["--connect", "tcp://localhost:5563", "--count", "3"]),
            ]),
            Lesson::new("hwm", "High-Water Marks", "chapter2/hwm.md", &[
                // One process: the inproc:// rounds need no endpoint; the
                // tcp:// round uses these two.
                ends("hwm", "hwm", &[
                    "--pub-bind", "tcp://127.0.0.1:5580",
                    "--sub-connect", "tcp://localhost:5580",
                    "--pull-bind", "tcp://127.0.0.1:5581",
                    "--push-connect", "tcp://localhost:5581",
                ]),
            ]),
        ],
    },
    Chapter {
        title: "Chapter 3: Advanced Request-Reply Patterns",
        lessons: &[
            Lesson::new("identity", "Identities and Addresses", "chapter3/identity.md", &[
                ends("identity", "identity", &[]),
            ]),
            // Two lessons, one page: the same broker, with REQ then DEALER workers.
            Lesson::new("rtreq", "ROUTER Broker and REQ Workers", "chapter3/load-balancing.md", &[
                ends("rtreq", "rtreq", &["--bind", "tcp://127.0.0.1:5671", "--connect", "tcp://localhost:5671"]),
            ]),
            Lesson::new("rtdealer", "ROUTER Broker and DEALER Workers", "chapter3/load-balancing.md", &[
                ends("rtdealer", "rtdealer", &["--bind", "tcp://127.0.0.1:5671", "--connect", "tcp://localhost:5671"]),
            ]),
            // One process, as in the guide: the broker, its clients and its
            // workers, over ipc:// in a temporary directory of its own.
            Lesson::new("lbbroker", "A Load Balancing Message Broker", "chapter3/lbbroker.md", &[
                ends("broker", "lbbroker", &[]),
            ]),
            // The chapter 1 pipeline with workers that ask for work. Every
            // process ends by itself: a worker when told "END", the
            // ventilator once every worker has been told, the sink with the
            // hundredth result.
            Lesson::new("lbpipeline", "The pipeline, load-balanced", "chapter3/lbpipeline.md", &[
                ends("sink", "tasksink", &["--bind", "tcp://127.0.0.1:5558"]),
                ends("worker", "lbtaskwork", &[
                    "--ventilator", "tcp://localhost:5557",
                    "--sink", "tcp://localhost:5558",
                ])
                .workers(),
                ends("ventilator", "lbtaskvent", &[
                    "--bind", "tcp://127.0.0.1:5557",
                    "--sink", "tcp://localhost:5558",
                    "--workers", "{workers}",
                ]),
            ]),
            // The same broker twice more, one page: with whole messages, then
            // in reactor style.
            Lesson::new("lbbroker2", "A High-Level API for ZeroMQ: whole messages", "chapter3/high-level-api.md", &[
                ends("broker", "lbbroker2", &[]),
            ]),
            Lesson::new("lbbroker3", "A High-Level API for ZeroMQ: a reactor", "chapter3/high-level-api.md", &[
                ends("broker", "lbbroker3", &[]),
            ]),
            Lesson::new("asyncsrv", "The Asynchronous Client/Server Pattern", "chapter3/asyncsrv.md", &[
                ends("asyncsrv", "asyncsrv", &["--bind", "tcp://127.0.0.1:5570", "--connect", "tcp://localhost:5570"]),
            ]),
            // The three brokers of the guide's cluster, each the same example
            // with its own name first, meeting over ipc:// in a folder of the
            // run's own. They run until Ctrl-C.
            Lesson::new("peering1", "Prototyping the State Flow", "chapter3/peering1.md", &[
                runs("DC1", "peering1", &["--ipc-dir", "{run_dir}", "DC1", "DC2", "DC3"]),
                runs("DC2", "peering1", &["--ipc-dir", "{run_dir}", "DC2", "DC1", "DC3"]),
                runs("DC3", "peering1", &["--ipc-dir", "{run_dir}", "DC3", "DC1", "DC2"]),
            ]),
            // Each broker starts once its peers are there; ten clients a
            // broker and three workers: the bursts send requests across.
            Lesson::new("peering2", "Prototyping the Local and Cloud Flows", "chapter3/peering2.md", &[
                runs("DC1", "peering2", &["--ipc-dir", "{run_dir}", "DC1", "DC2", "DC3"]),
                runs("DC2", "peering2", &["--ipc-dir", "{run_dir}", "DC2", "DC1", "DC3"]),
                runs("DC3", "peering2", &["--ipc-dir", "{run_dir}", "DC3", "DC1", "DC2"]),
            ]),
            // The whole cluster, at the guide's pace: bursts of tasks every
            // few seconds, until Ctrl-C.
            Lesson::new("peering3", "Putting it All Together", "chapter3/peering3.md", &[
                runs("DC1", "peering3", &["--ipc-dir", "{run_dir}", "DC1", "DC2", "DC3"]),
                runs("DC2", "peering3", &["--ipc-dir", "{run_dir}", "DC2", "DC1", "DC3"]),
                runs("DC3", "peering3", &["--ipc-dir", "{run_dir}", "DC3", "DC1", "DC2"]),
            ]),
        ],
    },
    Chapter {
        title: "Performance",
        lessons: &[
            Lesson::new("throughput", "Measuring throughput", "performance.md", &[
                ends("local", "local_thr", &["tcp://127.0.0.1:5555", "256", "100000"]),
                ends("remote", "remote_thr", &["tcp://127.0.0.1:5555", "256", "100000"]),
            ]),
            Lesson::new("latency", "Measuring latency", "performance.md", &[
                ends("local", "local_lat", &["tcp://127.0.0.1:5555", "256", "10000"]),
                ends("remote", "remote_lat", &["tcp://127.0.0.1:5555", "256", "10000"]),
            ]),
            Lesson::new("inproc-throughput", "Measuring throughput between threads", "performance.md", &[
                ends("inproc", "inproc_thr", &["256", "100000"]),
            ]),
            Lesson::new("inproc-latency", "Measuring latency between threads", "performance.md", &[
                ends("inproc", "inproc_lat", &["256", "10000"]),
            ]),
        ],
    },
    Chapter {
        title: "Case studies",
        lessons: &[
            Lesson::new("first-pubsub", "First steps: publish and subscribe", "case-studies/first-steps.md", &[
                FIRST_STEPS_PUBLISHER,
                // It would read for ever; five numbers end the lesson.
                ends("subscriber", "randsub", &["--connect", "tcp://localhost:8999", "--count", "5"]),
            ]),
            Lesson::new("first-pipeline", "First steps: push and pull", "case-studies/first-steps.md", &[
                FIRST_STEPS_PUSHER,
                // It exits at the pusher's END.
                ends("puller", "puller", &["--connect", "tcp://localhost:9399"]),
            ]),
            Lesson::new("first-poll", "First steps: polling two sockets", "case-studies/first-steps.md", &[
                // Both peers start first: the batch is there at once, and a
                // number comes every second, so the poll never times out.
                FIRST_STEPS_PUSHER,
                FIRST_STEPS_PUBLISHER,
                // The pusher's five tasks and END, and three numbers.
                ends("poller", "pollboth", &[
                    "--pull", "tcp://localhost:9399",
                    "--sub", "tcp://localhost:8999",
                    "--count", "9",
                ]),
            ]),
            Lesson::new("first-reqrep", "First steps: request and reply", "case-studies/first-steps.md", &[
                runs("server", "timeserver", &["--bind", "tcp://127.0.0.1:8000"]),
                ends("client", "timeclient", &["--connect", "tcp://localhost:8000", "--count", "3"]),
            ]),
            Lesson::new("poll-server", "A poller server with many clients", "case-studies/poll-server.md", &[
                // The server ends the lesson too: once its three clients have
                // asked, two quiet polls in a row stop it.
                ends("server", "pollserver", &[
                    "--bind", "tcp://127.0.0.1:5555",
                    "--stop-after", "2", "--clients", "3",
                ]),
                ends("client", "pollclient", &["--connect", "tcp://localhost:5555"]).copies(3),
            ]),
            Lesson::new("topic-averages", "Topic filtering with averages", "case-studies/topic-averages.md", &[
                runs("publisher", "topicpub", &["--bind", "tcp://127.0.0.1:5556"]),
                ends("subscriber", "topicsub", &["--connect", "tcp://localhost:5556"]),
            ]),
            Lesson::new("several-ports", "Request-reply over several ports", "case-studies/several-ports.md", &[
                // The same example twice, on two ports.
                runs("first server", "portserver", &["--bind", "tcp://127.0.0.1:5556"]),
                runs("second server", "portserver", &["--bind", "tcp://127.0.0.1:5546"]),
                ends("client", "portclient", &[
                    "--connect", "tcp://localhost:5556",
                    "--connect", "tcp://localhost:5546",
                ]),
            ]),
            // Runs until Ctrl-C: the server exits once the answers stop, the
            // computers and the saver go on.
            Lesson::new("discovery", "Distributed computation with discovery", "case-studies/discovery.md", &[
                runs("saver", "discovery_saver", &["--bind", "tcp://127.0.0.1:5572"]),
                runs("computer", "discovery_computer", &[
                    "--commands", "tcp://localhost:5570",
                    "--answers", "tcp://localhost:5571",
                    "--results", "tcp://localhost:5572",
                ]).copies(3),
                runs("server", "discovery_server", &[
                    "--commands", "tcp://127.0.0.1:5570",
                    "--answers", "tcp://127.0.0.1:5571",
                ]),
            ]),
            // Runs until Ctrl-C: the senders exit once they have posted,
            // the collector goes on. Each sender has a seed of its own.
            Lesson::new("form-collector", "Form collector", "case-studies/form-collector.md", &[
                runs("collector", "form_collector", &["--bind", "tcp://127.0.0.1:5580"]),
                runs("sender 1", "form_sender", &["--connect", "tcp://localhost:5580", "--seed", "1"]),
                runs("sender 2", "form_sender", &["--connect", "tcp://localhost:5580", "--seed", "2"]),
                runs("sender 3", "form_sender", &["--connect", "tcp://localhost:5580", "--seed", "3"]),
            ]),
            Lesson::new("async-thread", "Blocking calls beside an event loop: a companion thread", "case-studies/event-loop.md", &[
                runs("server", "hwserver", &["--bind", "tcp://127.0.0.1:5555"]),
                ends("client", "asyncthread", &["--connect", "tcp://localhost:5555"]),
            ]),
            Lesson::new("async-fd", "Blocking calls beside an event loop: the socket's descriptor", "case-studies/event-loop.md", &[
                runs("server", "hwserver", &["--bind", "tcp://127.0.0.1:5555"]),
                ends("client", "asyncfd", &["--connect", "tcp://localhost:5555"]),
            ]),
        ],
    },
];

/// The first steps' publisher, shared by first-pubsub and first-poll: a
/// random number a second, until the lesson is over.
#[rustfmt::skip]
const FIRST_STEPS_PUBLISHER: Process =
    runs("publisher", "randpub", &["--bind", "tcp://127.0.0.1:8999"]);

/// The first steps' pusher, shared by first-pipeline and first-poll: the
/// lesson is over once its batch is out, and its reader has it all.
#[rustfmt::skip]
const FIRST_STEPS_PUSHER: Process =
    ends("pusher", "pusher", &["--bind", "tcp://127.0.0.1:9399"]);

const MSREADER: [Process; 3] = multi_socket_processes("msreader");
const MSPOLLER: [Process; 3] = multi_socket_processes("mspoller");

/// msreader and mspoller read the same two streams: the weather server's
/// updates and the ventilator's tasks. They run until Ctrl-C.
#[rustfmt::skip]
const fn multi_socket_processes(reader: &'static str) -> [Process; 3] {
    [
        runs("weather", "wuserver", &["--bind", "tcp://127.0.0.1:5556"]),
        runs("reader", reader, &[
            "--ventilator", "tcp://localhost:5557",
            "--weather", "tcp://localhost:5556",
        ]),
        // One PULL peer: the reader. No sink runs in this lesson, so the
        // start-of-batch signal is dropped when taskvent's linger ends.
        runs("ventilator", "taskvent", &[
            "--bind", "tcp://127.0.0.1:5557",
            "--sink", "tcp://localhost:5558",
            "--workers", "1",
        ]),
    ]
}

/// shared-queue and msgqueue: a broker, two workers behind it, two clients in
/// front of it. The broker takes requests once both workers are connected, so
/// that it deals them out evenly; the lesson is over when the clients have
/// their ten replies each.
#[rustfmt::skip]
const fn broker_processes(broker: &'static str) -> [Process; 3] {
    [
        runs("broker", broker, &[
            "--frontend", "tcp://127.0.0.1:5559",
            "--backend", "tcp://127.0.0.1:5560",
            "--workers", "2",
        ]),
        runs("worker", "rrworker", &["--connect", "tcp://localhost:5560"]).copies(2),
        ends("client", "rrclient", &["--connect", "tcp://localhost:5559"]).copies(2),
    ]
}

/// The pipeline lessons' taskvent: it deals its batch once every worker is
/// connected, then exits by itself; the lesson does not wait for it.
#[rustfmt::skip]
const PIPELINE_VENTILATOR: Process = runs("ventilator", "taskvent", &[
    "--bind", "tcp://127.0.0.1:5557",
    "--sink", "tcp://localhost:5558",
    "--workers", "{workers}",
]);

/// Every lesson, in the book's order.
pub fn lessons() -> impl Iterator<Item = &'static Lesson> {
    CHAPTERS.iter().flat_map(|chapter| chapter.lessons)
}

/// The lesson called `name`.
pub fn lesson(name: &str) -> Option<&'static Lesson> {
    lessons().find(|lesson| lesson.name == name)
}

/// Where a lesson's TCP ports go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ports {
    /// The guide's ports plus this offset (`--port-offset`); 0 keeps them.
    Offset(u16),
    /// The lesson's distinct ports, lowest first, renumbered from this port up:
    /// a block of [`PORTS_PER_LESSON`] that a test has to itself.
    Block(u16),
}

/// No lesson uses more distinct TCP ports than this.
pub const PORTS_PER_LESSON: u16 = 10;

/// How to start a lesson.
#[derive(Clone, Debug)]
pub struct Settings {
    pub workers: usize,
    pub ports: Ports,
    /// Passed as `--seed` to the examples that take one.
    pub seed: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            workers: DEFAULT_WORKERS,
            ports: Ports::Offset(0),
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
        let ports = self.ports();
        anyhow::ensure!(
            ports.len() <= usize::from(PORTS_PER_LESSON),
            "lesson {} uses {} ports, more than a block of {PORTS_PER_LESSON}",
            self.name,
            ports.len()
        );
        let mut planned = Vec::new();
        for process in self.processes {
            let copies = match process.copies {
                Copies::One => 1,
                Copies::Workers => settings.workers,
                Copies::Fixed(n) => n,
            };
            for copy in 1..=copies {
                let mut args = process
                    .args
                    .iter()
                    .map(|arg| {
                        let arg = arg.replace("{workers}", &settings.workers.to_string());
                        move_port(&arg, |port| match settings.ports {
                            Ports::Offset(offset) => port.checked_add(offset).ok_or_else(|| {
                                anyhow::anyhow!("port {port} + offset {offset} is past 65535")
                            }),
                            Ports::Block(first) => {
                                let place = ports.iter().position(|&p| p == port);
                                Ok(first + place.expect("every port is listed") as u16)
                            }
                        })
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

    /// Every TCP port this lesson's endpoints name, lowest first, once each.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports = Vec::new();
        for arg in self.processes.iter().flat_map(|p| p.args) {
            let _ = move_port(arg, |port| {
                ports.push(port);
                Ok(port)
            });
        }
        ports.sort();
        ports.dedup();
        ports
    }

    /// Whether `--workers` means something for this lesson.
    pub fn has_workers(&self) -> bool {
        self.processes.iter().any(|p| p.copies == Copies::Workers)
    }
}

/// `tcp://host:PORT` with its port replaced by `to(PORT)`; anything else
/// unchanged.
fn move_port(arg: &str, mut to: impl FnMut(u16) -> anyhow::Result<u16>) -> anyhow::Result<String> {
    let Some((host, port)) = arg.strip_prefix("tcp://").and_then(|a| a.rsplit_once(':')) else {
        return Ok(arg.to_string());
    };
    let port: u16 = port
        .parse()
        .map_err(|_| anyhow::anyhow!("{arg}: the port is not a number"))?;
    Ok(format!("tcp://{host}:{}", to(port)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_names_are_unique() {
        let mut names: Vec<_> = lessons().map(|l| l.name).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn every_lesson_fits_a_block_of_ports() {
        for lesson in lessons() {
            assert!(
                lesson.ports().len() <= usize::from(PORTS_PER_LESSON),
                "{}",
                lesson.name
            );
        }
    }

    #[test]
    fn plan_shifts_ports_names_copies_and_passes_seeds() {
        let settings = Settings {
            workers: 2,
            ports: Ports::Offset(100),
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
    fn a_block_renumbers_the_lessons_ports_in_order() {
        let settings = Settings {
            ports: Ports::Block(20_000),
            ..Settings::default()
        };
        let lesson = lesson("pipeline-kill").unwrap();
        assert_eq!(lesson.ports(), [5557, 5558, 5559]);
        let plan = lesson.plan(&settings).unwrap();
        assert_eq!(
            plan[0].args,
            [
                "--bind",
                "tcp://127.0.0.1:20001",
                "--controller",
                "tcp://127.0.0.1:20002"
            ]
        );
        assert_eq!(plan[4].args[..2], ["--bind", "tcp://127.0.0.1:20000"]);
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
        let settings = Settings {
            ports: Ports::Offset(60_000),
            ..Settings::default()
        };
        assert!(lesson("hello").unwrap().plan(&settings).is_err());
        let inproc = lesson("inproc-latency").unwrap().plan(&settings).unwrap();
        assert_eq!(inproc[0].args, ["256", "10000"]);
    }
}
