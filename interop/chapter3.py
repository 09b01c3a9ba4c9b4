"""Interop cases for chapter 3 (advanced request-reply): see run.py."""

import re
import tempfile
import threading
import time

import zmq

from harness import Example, Failed, check, expect, free_port, peer, case, TIMEOUT_S


@case("lbbroker")
def lbbroker_python_clients_and_workers():
    """lbbroker (Rust) between Python REQ clients and REQ workers: READY,
    then each request's envelope comes back with the reply."""
    front, back = free_port(), free_port()
    broker = Example(
        "lbbroker", "--clients", "0", "--workers", "0",
        "--frontend", f"tcp://127.0.0.1:{front}", "--backend", f"tcp://127.0.0.1:{back}",
    )
    served, stop = [], threading.Event()

    def worker(name):
        s = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{back}", identity=name)
        s.rcvtimeo = 200
        s.send(b"READY")
        while not stop.is_set():
            try:
                client, empty, request = s.recv_multipart()
            except zmq.Again:
                continue
            check(empty == b"" and request == b"HELLO", "a request not in the guide's envelope")
            served.append(name)
            s.send_multipart([client, b"", b"OK"])

    workers = [threading.Thread(target=worker, args=(f"W{n}".encode(),)) for n in range(2)]
    for w in workers:
        w.start()
    for n in range(6):
        client = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{front}")
        client.send(b"HELLO")
        check(client.recv() == b"OK", "the reply is not OK")
    broker.stop()
    stop.set()
    for w in workers:
        w.join()
    check(len(served) == 6, f"the workers served {len(served)} requests, not 6")


@case("asyncsrv")
def asyncsrv_python_client():
    """asyncsrv's server (Rust) with its own workers, and a Python DEALER
    client: every reply is one frame, one of the requests it sent."""
    port = free_port()
    server = Example(
        "asyncsrv", "--bind", f"tcp://127.0.0.1:{port}", "--clients", "0", "--seconds", "0",
        "--seed", "1",
    )
    client = peer(zmq.DEALER, connect=f"tcp://127.0.0.1:{port}", identity=b"PY-CLIENT")
    sent = set()
    for n in range(1, 6):
        request = f"request #{n}".encode()
        client.send(request)
        sent.add(request)
    replies = []
    client.rcvtimeo = 3000
    try:
        while True:
            frames = client.recv_multipart()
            check(len(frames) == 1, f"a reply of {len(frames)} frames")
            check(frames[0] in sent, f"a reply to a request never sent: {frames[0]!r}")
            replies.append(frames[0])
    except zmq.Again:
        pass
    server.stop()
    check(replies, "no reply at all")


# Helpers for the cases below.


class Watch:
    """A Rust example's stdout read line by line as it comes, so that a case
    waits for a line instead of sleeping and hoping. Rust's stdout is line
    buffered, even into a pipe."""

    def __init__(self, example):
        self.example = example
        self.lines = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.example.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def count(self, pattern):
        """How many lines so far match `pattern` (a regular expression) whole."""
        with self.changed:
            return sum(1 for line in self.lines if re.fullmatch(pattern, line))

    def wait(self, condition, what, *others, timeout=TIMEOUT_S):
        """Wait until condition() holds (it may look at the `others` too)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                give_up(
                    f"{self.example.name}: no {what} after {timeout} s; "
                    f"its last lines: {self.lines[-15:]}",
                    self, *others,
                )
            with self.changed:
                self.changed.wait(0.1)

    def stop(self):
        """Ctrl-C: it must exit 0 with nothing on stderr. Its whole output."""
        self.example.interrupt()
        self.reader.join(TIMEOUT_S)
        status, out, err = self.example.finish()
        name = self.example.name
        check(status == 0, f"{name} exited {status} after Ctrl-C: {err}")
        check(err == "", f"{name} wrote on stderr: {err}")
        return "\n".join(self.lines + out.splitlines())


def give_up(why, *watches):
    """Fail, saying why, and what the watched examples (stopped now) said on
    stderr: it often says what was wrong."""
    said = []
    for watch in watches:
        watch.example.interrupt()
        watch.reader.join(TIMEOUT_S)
        status, _, err = watch.example.finish()
        said.append(f"{watch.example.name} exited {status}, saying: {err.strip()[:1000]!r}")
    raise Failed("; ".join([why, *said]))


def in_thread(errors, function, *args):
    """Run function(*args) in a thread; a failure lands in `errors`."""

    def run():
        try:
            function(*args)
        except Exception as error:  # noqa: BLE001 - re-raised by the case
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def join_all(threads, errors):
    for thread in threads:
        thread.join(TIMEOUT_S)
        check(not thread.is_alive(), "a Python peer is still running")
    if errors:
        raise errors[0]


def dump(frames):
    """A message as the workbook's dump (the guide's s_dump) shows it."""
    shown = "-" * 40 + "\n"
    for frame in frames:
        printable = all(32 <= byte <= 126 for byte in frame)
        text = frame.decode() if printable else frame.hex().upper()
        shown += f"[{len(frame):03}] {text}\n"
    return shown


def send_when_routable(socket, frames, timeout=TIMEOUT_S):
    """Send on a ROUTER with ROUTER_MANDATORY, retrying while the peer it
    names has not connected yet (EHOSTUNREACH)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.send_multipart(frames)
            return
        except zmq.ZMQError as error:
            check(error.errno == zmq.EHOSTUNREACH, f"cannot send {frames}: {error}")
            check(time.monotonic() < deadline, f"{frames[0]!r} never connected")
            time.sleep(0.05)


# ROUTER broker with REQ or DEALER workers.

RT_WORKERS = 4


def router_and_workers(example, kind):
    """`example` (rtreq or rtdealer, one Rust process) twice over: its
    worker threads talk to a Python ROUTER broker (--connect), and Python
    workers of `kind` talk to its broker (--bind), taking the routing ids
    its broker expects (the process id and the worker's number)."""
    broker = peer(zmq.ROUTER)
    port = broker.bind_to_random_port("tcp://127.0.0.1")
    rust_port = free_port()
    rust = Example(
        example, "--bind", f"tcp://127.0.0.1:{rust_port}", "--connect", f"tcp://127.0.0.1:{port}",
        "--workers", str(RT_WORKERS), "--seconds", "1", "--seed", "1",
    )
    ids = [f"{rust.process.pid:06X}-{n:04X}".encode() for n in range(RT_WORKERS)]

    # Python workers for the Rust broker: ask, work a little, until fired.
    done, errors = {}, []

    def worker(identity):
        s = peer(kind, connect=f"tcp://127.0.0.1:{rust_port}", identity=identity)
        tasks = 0
        while True:
            if kind == zmq.DEALER:
                s.send_multipart([b"", b"Hi Boss"])  # The delimiter, as REQ would add it.
            else:
                s.send(b"Hi Boss")
            frames = expect(s, f"reply from {example}'s broker")
            if kind == zmq.DEALER:
                check(
                    len(frames) == 2 and frames[0] == b"",
                    f"the broker's reply to a DEALER is not ['', workload]: {frames}",
                )
                frames = frames[1:]
            check(len(frames) == 1, f"a workload of {len(frames)} frames: {frames}")
            if frames[0] == b"Fired!":
                done[identity] = tasks
                s.close()
                return
            check(frames[0] == b"Work harder", f"the workload is {frames[0]!r}")
            tasks += 1
            time.sleep(0.02)

    threads = [in_thread(errors, worker, identity) for identity in ids]

    # The Python broker for the Rust workers: "Work harder" for a second,
    # then "Fired!" to each, as the guide's broker does.
    given = {identity: 0 for identity in ids}
    fired = set()
    first_reply = {}
    end = time.monotonic() + 1.0
    try:
        while len(fired) < RT_WORKERS:
            frames = expect(broker, f"request from {example}'s workers", rust)
            check(
                len(frames) == 3 and frames[1] == b"" and frames[2] == b"Hi Boss",
                f"a worker's request is not [id, '', 'Hi Boss']: {frames}",
            )
            identity = frames[0]
            check(identity in ids, f"a worker id not of the form PID-NNNN: {identity!r}")
            check(identity not in fired, f"{identity!r} asked again once fired")
            body = b"Work harder" if time.monotonic() < end else b"Fired!"
            first_reply.setdefault(identity, body)
            broker.send_multipart([identity, b"", body])
            if body == b"Fired!":
                fired.add(identity)
            else:
                given[identity] += 1
    finally:
        broker.close()
    join_all(threads, errors)

    status, out, err = rust.finish()
    check(status == 0, f"{example} exited {status}: {err}")
    check(err == "", f"{example} wrote on stderr: {err}")
    completed = sorted(int(n) for n in re.findall(r"^Completed: (\d+) tasks$", out, re.M))
    check(
        completed == sorted(given.values()),
        f"the Rust workers say they did {completed} tasks, "
        f"the Python broker gave {sorted(given.values())}",
    )
    handed_out = sum(done.values())
    summary = f"Handed out {handed_out} tasks, then fired {RT_WORKERS} workers."
    check(summary in out.splitlines(), f"{example} did not say {summary!r}: {out!r}")
    exchanges = [
        "The broker received:\n" + dump([i, b"", b"Hi Boss"])
        + "and replied:\n" + dump([i, b"", b"Work harder"])
        for i in ids
    ]
    check(any(e in out for e in exchanges), f"{example} showed no first exchange: {out!r}")
    delimiter = [b""] if kind == zmq.DEALER else []  # REQ takes it off.
    shown = "Worker 0000 received:\n" + dump(delimiter + [first_reply[ids[0]]])
    check(shown in out, f"worker 0000 did not show {shown!r}: {out!r}")


@case("rtreq")
def rtreq_python_broker_and_workers():
    """rtreq (Rust, one process): its REQ worker threads are served by a
    Python ROUTER broker, which checks each request is [id, "", "Hi Boss"]
    and answers "Work harder", then "Fired!"; Python REQ workers ask its
    broker. Checked: each Rust worker's "Completed: N tasks" matches what
    the Python broker gave it, the broker's "Handed out N tasks, then fired
    4 workers." matches what the Python workers got, and the first exchange
    each side shows is the guide's envelope, frame by frame."""
    router_and_workers("rtreq", zmq.REQ)


@case("rtdealer")
def rtdealer_python_broker_and_workers():
    """rtdealer (Rust, one process): as rtreq's case, with DEALER workers on
    both sides: the Rust workers must send the empty delimiter themselves
    ([id, "", "Hi Boss"] at the Python broker), and the Rust broker's
    replies reach a Python DEALER as ["", workload]."""
    router_and_workers("rtdealer", zmq.DEALER)


# The load-balanced pipeline.


@case("lbpipeline")
def lbpipeline_python_workers():
    """lbtaskvent and tasksink (Rust) with two Python workers: each asks
    with "READY" (REQ), gets one frame, a workload of 1 to 100 msec or
    "END", works a tenth of it, and PUSHes an empty result to the sink.
    Checked: 100 workloads in all, each worker told "END" once, the
    ventilator's "Total expected cost" is their sum, the sink counts 100."""
    vent_port, sink_port = free_port(), free_port()
    vent_at, sink_at = f"tcp://127.0.0.1:{vent_port}", f"tcp://127.0.0.1:{sink_port}"
    sink = Example("tasksink", "--bind", sink_at)
    ventilator = Example(
        "lbtaskvent", "--bind", vent_at, "--sink", sink_at, "--workers", "2", "--seed", "3"
    )
    workloads, errors = [], []

    def worker():
        asker = peer(zmq.REQ, connect=vent_at)
        results = peer(zmq.PUSH, connect=sink_at)
        while True:
            asker.send(b"READY")
            frames = expect(asker, "task from lbtaskvent")
            check(len(frames) == 1, f"a task of {len(frames)} frames: {frames}")
            if frames[0] == b"END":
                break
            check(re.fullmatch(rb"[0-9]+", frames[0]) is not None, f"a task {frames[0]!r}")
            workload = int(frames[0])
            check(1 <= workload <= 100, f"a workload of {workload} msec")
            workloads.append(workload)
            time.sleep(workload / 10_000)
            results.send(b"")
        results.linger = 1000  # The last result must get there.
        results.close()
        asker.close()

    threads = [in_thread(errors, worker) for _ in range(2)]
    join_all(threads, errors)
    status, out, err = ventilator.finish()
    check(status == 0 and err == "", f"lbtaskvent exited {status}: {err}")
    check(len(workloads) == 100, f"the Python workers got {len(workloads)} tasks, not 100")
    cost = f"Total expected cost: {sum(workloads)} msec"
    check(cost in out.splitlines(), f"lbtaskvent did not say {cost!r}: {out!r}")
    told = "Every worker has been told there is no more work."
    check(told in out.splitlines(), f"lbtaskvent did not say {told!r}: {out!r}")
    status, out, err = sink.finish()
    check(status == 0 and err == "", f"tasksink exited {status}: {err}")
    lines = out.splitlines()
    check(
        len(lines) == 2 and lines[0] == ":........." * 10
        and re.fullmatch(r"Total elapsed time: \d+ msec", lines[1]) is not None,
        f"tasksink printed {out!r}",
    )


@case("lbpipeline")
def lbpipeline_rust_workers():
    """Two lbtaskwork workers (Rust) between a Python ventilator (ROUTER)
    and a Python sink (PULL). Checked: each ask is exactly [id, "", "READY"],
    each result one empty frame, one per task; a worker told "END" asks no
    more and exits 0, having printed "N." for each workload it was given, in
    order."""
    ventilator, sink = peer(zmq.ROUTER), peer(zmq.PULL)
    vent_at = f"tcp://127.0.0.1:{ventilator.bind_to_random_port('tcp://127.0.0.1')}"
    sink_at = f"tcp://127.0.0.1:{sink.bind_to_random_port('tcp://127.0.0.1')}"
    workers = [
        Example("lbtaskwork", "--ventilator", vent_at, "--sink", sink_at) for _ in range(2)
    ]
    tasks = [n % 10 + 1 for n in range(30)]
    given, ended = {}, set()
    try:
        for workload in tasks + [None, None]:
            frames = expect(ventilator, "ask from lbtaskwork", *workers)
            check(
                len(frames) == 3 and frames[1] == b"" and frames[2] == b"READY",
                f"an ask is not [id, '', 'READY']: {frames}",
            )
            worker = frames[0]
            check(worker not in ended, "a worker asked again after END")
            if workload is None:
                ventilator.send_multipart([worker, b"", b"END"])
                ended.add(worker)
            else:
                ventilator.send_multipart([worker, b"", str(workload).encode()])
                given.setdefault(worker, []).append(workload)
        for n in range(len(tasks)):
            result = expect(sink, "result from lbtaskwork", *workers)
            check(result == [b""], f"result {n} is {result}, not one empty frame")
        sink.rcvtimeo = 300
        try:
            extra = sink.recv_multipart()
        except zmq.Again:
            extra = None
        check(extra is None, f"a result more than the {len(tasks)} tasks: {extra}")
    finally:
        ventilator.close()
        sink.close()
    check(len(ended) == 2, "not both workers asked for a last task")
    printed = []
    for example in workers:
        status, out, err = example.finish()
        check(status == 0 and err == "", f"lbtaskwork exited {status}: {err}")
        check(
            all(re.fullmatch(r"\d+\.", line) for line in out.splitlines()),
            f"lbtaskwork printed {out!r}",
        )
        printed.append([int(line[:-1]) for line in out.splitlines()])
    check(
        sorted(printed) == sorted(given.get(w, []) for w in ended),
        f"the workers printed {printed}, they were given {list(given.values())}",
    )


# The load-balancing broker, twice more.


def lb_python_peers(example, ready):
    """`example` (Rust) as a broker alone (--clients 0 --workers 0) between
    Python REQ clients and REQ workers that say `ready`; the clients ask at
    once, each must get its "OK", the worker sees [client, "", "HELLO"]."""
    front, back = free_port(), free_port()
    broker = Example(
        example, "--clients", "0", "--workers", "0",
        "--frontend", f"tcp://127.0.0.1:{front}", "--backend", f"tcp://127.0.0.1:{back}",
    )
    served, stop, errors = [], threading.Event(), []

    def worker(name):
        s = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{back}", identity=name)
        s.rcvtimeo = 200
        s.send(ready)
        while not stop.is_set():
            try:
                frames = s.recv_multipart()
            except zmq.Again:
                continue
            check(
                len(frames) == 3 and frames[0] != b""
                and frames[1] == b"" and frames[2] == b"HELLO",
                f"a request not in the guide's envelope [client, '', 'HELLO']: {frames}",
            )
            served.append(frames[0])
            time.sleep(0.01)
            s.send_multipart([frames[0], b"", b"OK"])
        s.close()

    threads = [in_thread(errors, worker, f"W{n}".encode()) for n in range(2)]
    try:
        clients = [
            peer(zmq.REQ, connect=f"tcp://127.0.0.1:{front}", identity=f"C{n}".encode())
            for n in range(6)
        ]
        for client in clients:
            client.send(b"HELLO")
        for client in clients:
            reply = expect(client, f"reply from {example}", broker)
            check(reply == [b"OK"], f"the reply is {reply}, not OK")
            client.close()
    finally:
        stop.set()
        join_all(threads, errors)
    out = broker.stop()
    check(out == "", f"{example} printed {out!r} without clients and workers of its own")
    check(
        sorted(served) == [f"C{n}".encode() for n in range(6)],
        f"the workers served {sorted(served)}, not each client once",
    )


def lb_rust_threads(example, ready):
    """`example` (Rust) with its own client threads and a Python worker
    (which says `ready`): the broker ends by itself once its three clients
    have their "OK". And with its own worker threads and Python clients:
    each gets "OK", and at Ctrl-C the workers' counts add up."""
    back = free_port()
    clients_only = Example(
        example, "--clients", "3", "--workers", "0", "--backend", f"tcp://127.0.0.1:{back}"
    )
    front = free_port()
    workers_only = Example(
        example, "--clients", "0", "--workers", "2", "--frontend", f"tcp://127.0.0.1:{front}"
    )

    worker = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{back}")
    worker.send(ready)
    for _ in range(3):
        frames = expect(worker, f"request from {example}'s clients", clients_only)
        check(
            len(frames) == 3 and frames[0] != b"" and frames[1] == b"" and frames[2] == b"HELLO",
            f"a request not in the guide's envelope [client, '', 'HELLO']: {frames}",
        )
        worker.send_multipart([frames[0], b"", b"OK"])
    status, out, err = clients_only.finish()
    worker.close()
    check(status == 0 and err == "", f"{example} exited {status}: {err}")
    check(sorted(out.splitlines()) == ["Client: OK"] * 3, f"{example}'s clients printed {out!r}")

    clients = [peer(zmq.REQ, connect=f"tcp://127.0.0.1:{front}") for _ in range(4)]
    for client in clients:
        client.send(b"HELLO")
    for client in clients:
        reply = expect(client, f"reply from {example}'s workers", workers_only)
        check(reply == [b"OK"], f"the reply is {reply}, not OK")
        client.close()
    out = workers_only.stop()
    lines = out.splitlines() or [""]
    check(lines[:-1] == ["Worker: HELLO"] * 4, f"{example}'s workers printed {out!r}")
    counts = re.fullmatch(r"Requests per worker: (\d+), (\d+)", lines[-1])
    check(
        counts is not None and sum(map(int, counts.groups())) == 4,
        f"{example} ended with {lines[-1]!r}, not the counts of its two workers' 4 requests",
    )


@case("lbbroker2")
def lbbroker2_python_clients_and_workers():
    """lbbroker2 (Rust) alone, between Python REQ clients and REQ workers
    that say "READY" (the guide's lbbroker2): every client gets its "OK",
    each worker sees [client, "", "HELLO"]; Ctrl-C ends it cleanly."""
    lb_python_peers("lbbroker2", b"READY")


@case("lbbroker2")
def lbbroker2_rust_clients_and_workers():
    """lbbroker2 (Rust) with its own three client threads and a Python REQ
    worker ("READY"), then with its own two worker threads and four Python
    REQ clients. Checked: each request reaches Python as [client, "",
    "HELLO"], Python's "OK" as each Rust client's "Client: OK" (the broker
    then ends by itself, exit 0); each Python client gets one frame "OK",
    the Rust workers print "Worker: HELLO" four times and, at Ctrl-C,
    "Requests per worker: A, B" adding up to 4."""
    lb_rust_threads("lbbroker2", b"READY")


@case("lbbroker3")
def lbbroker3_python_clients_and_workers():
    """lbbroker3 (Rust) alone, between Python REQ clients and REQ workers
    that say "\\001" (the guide's lbbroker3): as lbbroker2's case."""
    lb_python_peers("lbbroker3", b"\x01")


@case("lbbroker3")
def lbbroker3_rust_clients_and_workers():
    """lbbroker3 (Rust) with its own client threads and a Python worker
    ("\\001"), then with its own worker threads and Python clients: as
    lbbroker2's case."""
    lb_rust_threads("lbbroker3", b"\x01")


# The cluster of brokers: Python plays DC3, the Rust brokers DC1 and DC2.


def rust_dc(example, ipc_dir, me, *options):
    """A Rust broker of the cluster, its output watched."""
    others = [dc for dc in ("DC1", "DC2", "DC3") if dc != me]
    return Watch(Example(example, "--ipc-dir", ipc_dir, me, *others, *options))


def state_of(frames, workers):
    """A state from the state flow, [name, figure], as the guide sends it:
    the broker's name, then its figure in decimal; `workers` says each
    name's largest figure."""
    check(len(frames) == 2, f"a state of {len(frames)} frames, not [name, figure]: {frames}")
    name, figure = frames[0].decode(errors="replace"), frames[1]
    check(name in workers, f"a state from {name!r}, not DC1 or DC2: {frames}")
    check(re.fullmatch(rb"[0-9]+", figure) is not None, f"a figure not in decimal: {frames}")
    check(
        int(figure) <= workers[name],
        f"{name} says {int(figure)} workers free, of {workers[name]}",
    )
    return name, int(figure)


@case("peering1")
def peering1_python_dc3():
    """peering1 (Rust) as DC1 and DC2, Python as DC3 over ipc:// files in a
    temporary folder: Python publishes [b"DC3", b"7"] on DC3-state.ipc and
    subscribes to DC1's and DC2's. Checked: each Rust state is two frames,
    its name and a decimal figure 0 to 9; both brokers print
    "DC3 - 7 workers free", and every state line they print is a peer's,
    Python's figure always 7; Ctrl-C ends them."""
    with tempfile.TemporaryDirectory() as folder:
        ipc = f"ipc://{folder}/"
        statebe = peer(zmq.PUB, bind=ipc + "DC3-state.ipc")
        statefe = peer(zmq.SUB, subscribe=b"")
        for dc in ("DC1", "DC2"):
            statefe.connect(ipc + f"{dc}-state.ipc")
        dcs = [
            rust_dc("peering1", folder, dc, "--seed", str(n))
            for n, dc in enumerate(("DC1", "DC2"))
        ]
        heard = {"DC1": [], "DC2": []}
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while not (
                all(heard.values()) and all(dc.count(r"DC3 - 7 workers free") >= 2 for dc in dcs)
            ):
                if time.monotonic() > deadline:
                    give_up(f"after {TIMEOUT_S} s, Python heard {heard}", *dcs)
                statebe.send_multipart([b"DC3", b"7"])
                if statefe.poll(200):
                    name, figure = state_of(statefe.recv_multipart(), {"DC1": 9, "DC2": 9})
                    heard[name].append(figure)
            outs = [dc.stop() for dc in dcs]
        finally:
            statebe.close()
            statefe.close()
    for me, out in zip(("DC1", "DC2"), outs):
        lines = out.splitlines()
        check(lines[0] == f"I: preparing broker at {me}...", f"{me} began with {lines[0]!r}")
        states = [line for line in lines if not line.startswith("I: ")]
        for line in states:
            match = re.fullmatch(r"(DC\d) - (\d) workers free", line)
            check(match is not None and match[1] != me, f"{me} printed {line!r}")
            check(match[1] != "DC3" or match[2] == "7", f"{me} printed {line!r} for Python's 7")


@case("peering2")
def peering2_python_dc3():
    """peering2 (Rust) as DC1 (six clients, no workers: every request goes
    to a peer at random) and DC2 (two workers, no clients), Python as DC3 on
    its cloud endpoints: a ROUTER bound to DC3-cloud.ipc and one connected to
    DC1's and DC2's, both with the routing id "DC3". Checked: DC1's requests
    reach Python as [b"DC1", client, b"", b"HELLO"] and Python's reply
    [b"DC1", client, b"", b"OK"] reaches DC1's client ("Client: OK"); Python's
    requests [b"DC2", client, b"", b"HELLO"] come back from DC2 as
    [b"DC2", client, b"", b"OK"], its worker saying "Worker: HELLO (via DC3)";
    every reply DC1's clients print was served by DC2 or Python."""
    with tempfile.TemporaryDirectory() as folder:
        ipc = f"ipc://{folder}/"
        cloudfe = peer(zmq.ROUTER, identity=b"DC3", bind=ipc + "DC3-cloud.ipc")
        cloudbe = peer(zmq.ROUTER, identity=b"DC3")
        cloudbe.setsockopt(zmq.ROUTER_MANDATORY, 1)
        for dc in ("DC1", "DC2"):
            cloudbe.connect(ipc + f"{dc}-cloud.ipc")
        dc1 = rust_dc("peering2", folder, "DC1", "--clients", "6", "--workers", "0", "--seed", "2")
        dc2 = rust_dc("peering2", folder, "DC2", "--clients", "0", "--workers", "2")
        answered, asked, replied = 0, 0, 0
        poller = zmq.Poller()
        poller.register(cloudfe, zmq.POLLIN)
        poller.register(cloudbe, zmq.POLLIN)
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while answered < 2 or replied < 4:
                if time.monotonic() > deadline:
                    give_up(
                        f"after {TIMEOUT_S} s: {answered} requests from DC1, "
                        f"{replied} of 4 replies from DC2",
                        dc1, dc2,
                    )
                if asked == replied and asked < 4:
                    asked += 1
                    client = f"PY-CLIENT-{asked}".encode()
                    send_when_routable(cloudbe, [b"DC2", client, b"", b"HELLO"])
                ready = dict(poller.poll(100))
                if cloudfe in ready:
                    frames = cloudfe.recv_multipart()
                    check(
                        len(frames) == 4 and frames[0] == b"DC1" and frames[1] != b""
                        and frames[2] == b"" and frames[3] == b"HELLO",
                        f"a cloud request not [b'DC1', client, b'', b'HELLO']: {frames}",
                    )
                    cloudfe.send_multipart([frames[0], frames[1], b"", b"OK"])
                    answered += 1
                if cloudbe in ready:
                    frames = cloudbe.recv_multipart()
                    expected = [b"DC2", f"PY-CLIENT-{asked}".encode(), b"", b"OK"]
                    check(frames == expected, f"DC2's reply is {frames}, not {expected}")
                    replied += 1
            # Python answers no more. Every reply DC1's clients print was
            # served: by DC2's workers or by Python, one each.
            dc1.wait(
                lambda: dc1.count("Client: OK")
                == dc2.count(r"Worker: HELLO \(via DC1\)") + answered,
                f"'Client: OK' for each reply: Python's {answered} and DC2's",
                dc2,
            )
            out1, out2 = dc1.stop(), dc2.stop()
        finally:
            cloudfe.close()
            cloudbe.close()
    lines2 = out2.splitlines()
    check(lines2.count("Worker: HELLO (via DC3)") == 4, f"DC2's workers printed {out2!r}")
    for out, me in ((out1, "DC1"), (out2, "DC2")):
        for line in out.splitlines():
            check(
                line in ("Client: OK", "Worker: HELLO (via DC1)", "Worker: HELLO (via DC3)")
                or line.startswith("I: "),
                f"{me} printed {line!r}",
            )


@case("peering3")
def peering3_python_dc3():
    """peering3 (Rust) as DC1 (three clients, one worker) and DC2 (two
    workers, no clients), Python as DC3 on the state and cloud endpoints.
    Python publishes [b"DC3", b"2"]; it checks the Rust states ([name,
    decimal figure], no more than the broker's workers) and sends its own
    tasks only to a peer that said it has a worker free, as the guide's
    brokers do: [peer, client, b"", task id], the same back. It answers DC1's
    tasks [b"DC1", client, b"", id] with the id. Checked: each broker prints
    Python's first state; DC1's clients lose no task and finish their
    bursts; at Ctrl-C, each broker's counts of tasks to and from DC3 are
    Python's."""
    with tempfile.TemporaryDirectory() as folder:
        ipc = f"ipc://{folder}/"
        statebe = peer(zmq.PUB, bind=ipc + "DC3-state.ipc")
        statefe = peer(zmq.SUB, subscribe=b"")
        cloudfe = peer(zmq.ROUTER, identity=b"DC3", bind=ipc + "DC3-cloud.ipc")
        cloudbe = peer(zmq.ROUTER, identity=b"DC3")
        cloudbe.setsockopt(zmq.ROUTER_MANDATORY, 1)
        for dc in ("DC1", "DC2"):
            statefe.connect(ipc + f"{dc}-state.ipc")
            cloudbe.connect(ipc + f"{dc}-cloud.ipc")
        pace = ("--tick-ms", "20", "--timeout-ms", "5000", "--bursts", "3")
        dc1 = rust_dc(
            "peering3", folder, "DC1", "--clients", "3", "--workers", "1", *pace, "--seed", "5"
        )
        dc2 = rust_dc(
            "peering3", folder, "DC2", "--clients", "0", "--workers", "2", *pace, "--seed", "6"
        )
        workers = {"DC1": 1, "DC2": 2}
        capacity = {}  # As each peer last said, less what we sent it since.
        answered = 0
        sent = {"DC1": 0, "DC2": 0}
        outstanding = {}  # task id -> peer
        poller = zmq.Poller()
        for s in (statefe, cloudfe, cloudbe):
            poller.register(s, zmq.POLLIN)
        published = 0.0
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while not (
                sum(sent.values()) == 6 and not outstanding
                and dc1.count(r"I: client DC1-\d+ done, \d+ tasks") == 3
            ):
                if time.monotonic() > deadline or dc1.count(r"E: CLIENT EXIT - lost task .*"):
                    give_up(
                        f"after {time.monotonic() - deadline + TIMEOUT_S:.1f} s: sent {sent}, "
                        f"waiting for {outstanding}, answered {answered}; "
                        f"DC1 printed {dc1.lines[-10:]}",
                        dc1, dc2,
                    )
                if time.monotonic() - published > 0.1:
                    statebe.send_multipart([b"DC3", b"2"])
                    published = time.monotonic()
                free = sorted(dc for dc, n in capacity.items() if n > 0)
                if free and not outstanding and sum(sent.values()) < 6:
                    dc = free[sum(sent.values()) % len(free)]
                    capacity[dc] -= 1
                    sent[dc] += 1
                    task = f"DC3-py-{sum(sent.values())}".encode()
                    outstanding[task] = dc
                    send_when_routable(cloudbe, [dc.encode(), b"PY-CLIENT", b"", task])
                ready = dict(poller.poll(20))
                if statefe in ready:
                    name, figure = state_of(statefe.recv_multipart(), workers)
                    capacity[name] = figure
                if cloudfe in ready:
                    frames = cloudfe.recv_multipart()
                    check(
                        len(frames) == 4 and frames[0] == b"DC1" and frames[1] != b""
                        and frames[2] == b""
                        and re.fullmatch(rb"DC1-\d+-\d+", frames[3]) is not None,
                        f"a cloud task not [b'DC1', client, b'', b'DC1-n-m']: {frames}",
                    )
                    cloudfe.send_multipart(frames)  # The worker's answer: the task id back.
                    answered += 1
                if cloudbe in ready:
                    frames = cloudbe.recv_multipart()
                    check(
                        len(frames) == 4 and frames[1:3] == [b"PY-CLIENT", b""]
                        and outstanding.get(frames[3]) == frames[0].decode(errors="replace"),
                        f"a reply {frames} is not [peer, b'PY-CLIENT', b'', task] "
                        f"for {outstanding}",
                    )
                    del outstanding[frames[3]]
            out1, out2 = dc1.stop(), dc2.stop()
        finally:
            for s in (statebe, statefe, cloudfe, cloudbe):
                s.close()
    for out, me in ((out1, "DC1"), (out2, "DC2")):
        first = "I: first state from DC3: 2 workers free"
        check(first in out.splitlines(), f"{me} did not say {first!r}: {out!r}")
        check("E: CLIENT EXIT" not in out, f"{me} lost a task: {out!r}")
    lines1 = out1.splitlines()
    done = [int(n) for n in re.findall(r"^I: client DC1-\d+ done, (\d+) tasks$", out1, re.M)]
    ids = [line for line in lines1 if re.fullmatch(r"DC1-\d+-\d+", line)]
    check(
        len(ids) == len(set(ids)) == sum(done),
        f"DC1's clients had {len(ids)} replies, sent {done}",
    )
    local, to_peers, from_peers = peering3_totals("DC1", lines1[-1])
    check(
        to_peers["DC3"] == answered,
        f"DC1 says it sent DC3 {to_peers['DC3']} tasks; Python answered {answered}",
    )
    check(
        from_peers["DC3"] == sent["DC1"],
        f"DC1 says DC3 sent it {from_peers['DC3']} tasks; Python sent {sent['DC1']}",
    )
    check(from_peers["DC2"] == 0, f"DC1 says DC2 (no clients) sent it {from_peers['DC2']} tasks")
    check(
        local + sum(to_peers.values()) == sum(done),
        f"DC1's clients sent {sum(done)} tasks: {lines1[-1]}",
    )
    to_dc2 = to_peers["DC2"]
    local, to_peers, from_peers = peering3_totals("DC2", out2.splitlines()[-1])
    check(
        local == 0 and set(to_peers.values()) == {0},
        f"DC2 has no clients, yet: {out2.splitlines()[-1]}",
    )
    check(
        from_peers["DC3"] == sent["DC2"],
        f"DC2 says DC3 sent it {from_peers['DC3']} tasks; Python sent {sent['DC2']}",
    )
    check(
        from_peers["DC1"] == to_dc2,
        f"DC2 took {from_peers['DC1']} tasks from DC1, which sent {to_dc2}",
    )


def peering3_totals(me, line):
    """A peering3 broker's last line: tasks to its workers, to each peer,
    from each peer (the peers in order, each a decimal count)."""
    peers = ", ".join(rf'"{dc}": (\d+)' for dc in ("DC1", "DC2", "DC3") if dc != me)
    pattern = rf"I: (\d+) tasks to our workers; to peers \{{{peers}\}}; from peers \{{{peers}\}}"
    match = re.fullmatch(pattern, line)
    check(match is not None, f"{me} ended with {line!r}, not /{pattern}/")
    names = [dc for dc in ("DC1", "DC2", "DC3") if dc != me]
    counts = [int(n) for n in match.groups()]
    return counts[0], dict(zip(names, counts[1:3])), dict(zip(names, counts[3:5]))
