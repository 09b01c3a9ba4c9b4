"""Interop cases for chapter 2 (sockets and patterns): see run.py."""

import os
import re
import select
import signal
import threading
import time

import zmq

from harness import Example, check, free_port, peer, case, weather_update, TIMEOUT_S


@case("shared-queue")
def shared_queue_python_client_and_worker():
    """rrbroker (Rust) between a Python REQ client and a Python REP worker,
    and the Rust rrworker answering the Python client too."""
    front, back = free_port(), free_port()
    # Both workers connected before any request is taken: otherwise the
    # Python worker, up first, may answer all six.
    broker = Example(
        "rrbroker", "--frontend", f"tcp://127.0.0.1:{front}", "--backend", f"tcp://127.0.0.1:{back}",
        "--workers", "2",
    )
    worker = peer(zmq.REP, connect=f"tcp://127.0.0.1:{back}")
    rust_worker = Example("rrworker", "--connect", f"tcp://127.0.0.1:{back}")
    client = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{front}")
    poller = zmq.Poller()
    poller.register(worker, zmq.POLLIN)
    python_answered = 0
    for _ in range(6):
        client.send(b"Hello")
        while True:
            if poller.poll(50):
                check(worker.recv() == b"Hello", "the request is not Hello")
                worker.send(b"World")
                python_answered += 1
            if client.poll(50):
                reply = client.recv()
                check(reply == b"World", f"the reply is {reply!r}")
                break
    rust_answered = rust_worker.stop().count("Received request: [Hello]")
    broker.stop()
    check(
        python_answered + rust_answered == 6 and python_answered > 0 and rust_answered > 0,
        f"Python answered {python_answered}, Rust {rust_answered}: expected 6, shared",
    )


@case("psenv")
def psenv_python_subscriber():
    """psenvpub (Rust) sends [key][contents]; a Python SUB to "B" gets only Bs."""
    port = free_port()
    publisher = Example("psenvpub", "--bind", f"tcp://127.0.0.1:{port}")
    sub = peer(zmq.SUB, connect=f"tcp://127.0.0.1:{port}", subscribe=b"B")
    for _ in range(3):
        frames = sub.recv_multipart()
        check(len(frames) == 2, f"{len(frames)} frames, expected the key then the contents")
        check(frames[0] == b"B", f"the key is {frames[0]!r}")
        check(frames[1].startswith(b"We would like to see this"), f"the contents: {frames[1]!r}")
    publisher.stop()


@case("wuproxy")
def wuproxy_python_subscriber():
    """wuserver (Rust) -> wuproxy (Rust) -> a Python SUB: updates cross the
    proxy untouched, and the subscription crosses it the other way."""
    server_port, proxy_port = free_port(), free_port()
    server = Example("wuserver", "--bind", f"tcp://127.0.0.1:{server_port}", "--seed", "3")
    proxy = Example(
        "wuproxy", "--frontend", f"tcp://127.0.0.1:{server_port}",
        "--backend", f"tcp://127.0.0.1:{proxy_port}",
    )
    sub = peer(zmq.SUB, connect=f"tcp://127.0.0.1:{proxy_port}", subscribe=b"10001 ")
    for _ in range(20):
        zipcode, _, _ = weather_update(sub.recv())
        check(zipcode == b"10001", f"zipcode {zipcode!r}")
    proxy.stop()
    server.stop()


@case("mtserver")
def mtserver_python_clients():
    """mtserver (Rust, worker threads behind a proxy) answers three Python
    REQ clients at once."""
    port = free_port()
    server = Example("mtserver", "--bind", f"tcp://127.0.0.1:{port}")
    clients = [peer(zmq.REQ, connect=f"tcp://127.0.0.1:{port}") for _ in range(3)]
    for client in clients:
        client.send(b"Hello")
    for client in clients:
        check(client.recv() == b"World", "the reply is not World")
    out = server.stop()
    check(out.count("Received request: [Hello]") == 3, f"mtserver printed {out!r}")


# What the cases below share.


def endpoint(port):
    return f"tcp://127.0.0.1:{port}"


class Output:
    """A running example's stdout, read as it comes, so that a case can wait
    for a line without waiting for the example to end (every wait bounded).
    What is not read here is left for finish() or stop()."""

    def __init__(self, example):
        self.example = example
        self.fd = example.process.stdout.fileno()
        self.pending = b""
        self.lines = []

    def wait_for(self, done, what, timeout=TIMEOUT_S):
        """Read lines until done(lines) says so."""
        deadline = time.monotonic() + timeout
        while not done(self.lines):
            left = deadline - time.monotonic()
            check(left > 0, f"{self.example.name} did not print {what} in {timeout} s: {self.lines}")
            readable, _, _ = select.select([self.fd], [], [], left)
            if readable:
                chunk = os.read(self.fd, 65536)
                check(chunk, f"{self.example.name} ended before it printed {what}: {self.lines}")
                self.pending += chunk
                *complete, self.pending = self.pending.split(b"\n")
                self.lines += [line.decode() for line in complete]
        return self.lines

    def all(self, rest):
        """Every line: those read so far, then `rest` (what finish() or stop() gave)."""
        return self.lines + (self.pending.decode() + rest).splitlines()


class PeerThread(threading.Thread):
    """A Python peer in a thread of its own (its sockets made there): what it
    returned, or what it raised, for the case to check."""

    def __init__(self, target, *args):
        super().__init__(daemon=True)
        self.work, self.work_args = target, args
        self.result, self.error = None, None
        self.start()

    def run(self):
        try:
            self.result = self.work(*self.work_args)
        except BaseException as error:  # noqa: BLE001 - handed to the case
            self.error = error

    def outcome(self, timeout=TIMEOUT_S):
        self.join(timeout)
        check(not self.is_alive(), f"a Python peer still runs after {timeout} s")
        if self.error is not None:
            raise self.error
        return self.result


def finished(example, timeout=TIMEOUT_S):
    """Wait for an example that ends by itself: exit 0, nothing on stderr; its stdout."""
    status, out, err = example.finish(timeout)
    check(status == 0, f"{example.name} exited {status}: {err}")
    check(err == "", f"{example.name} wrote on stderr: {err}")
    return out


def expect_lines(name, lines, expected):
    check(lines == expected, f"{name} printed {lines}, expected {expected}")


# Plugging sockets into the topology: who binds, who connects, who comes first.


@case("bind-connect")
def bind_connect_python_late_server():
    """earlyclient (Rust) connects and sends before anything listens; a Python
    REP binds there later, receives exactly one frame "Hello" and answers
    "World". The client prints its three lines, the wait at least as long as
    the server came late."""
    port = free_port()
    client = Example("earlyclient", "--connect", endpoint(port))
    output = Output(client)
    output.wait_for(lambda lines: len(lines) >= 2, "that the request is queued")
    expect_lines("earlyclient", output.lines, [
        f"Connected to {endpoint(port)}, where no server needs to be yet",
        'Sent "Hello": it waits in the queue for a server',
    ])
    late_ms = 300
    time.sleep(late_ms / 1000)
    server = peer(zmq.REP, bind=endpoint(port))
    request = server.recv_multipart()
    check(request == [b"Hello"], f"the request is {request}, expected [b'Hello']")
    server.send(b"World")
    lines = output.all(finished(client))
    waited = re.fullmatch(r'Received "World" (\d+) ms after sending', lines[2]) if len(lines) == 3 else None
    check(
        waited,
        f"earlyclient printed {lines}, expected a third line 'Received \"World\" N ms after sending'",
    )
    check(int(waited[1]) >= late_ms, f"earlyclient says the reply took {waited[1]} ms, less than {late_ms}")


@case("bind-connect")
def bind_connect_python_early_client():
    """lateserver (Rust) binds 300 ms late; a Python REQ client connected and
    sent before that. Its request is served once the server binds: the reply
    is one frame "World", and the server prints each request quoted."""
    port = free_port()
    client = peer(zmq.REQ, connect=endpoint(port))
    client.send(b"Hello")  # Queued: nothing listens there yet.
    server = Example("lateserver", "--bind", endpoint(port), "--delay-ms", "300")
    for request in [b"Hello", b"Hello again"]:
        if request != b"Hello":
            client.send(request)
        reply = client.recv_multipart()
        check(reply == [b"World"], f"the reply is {reply}, expected [b'World']")
    expect_lines("lateserver", server.stop().splitlines(), [
        "Waiting 300 ms before binding",
        f"Bound to {endpoint(port)}",
        'Received "Hello"',
        'Received "Hello again"',
    ])


# Handling multiple sockets: a Python ventilator and weather server for the readers.


def multi_socket_python_senders(reader_name):
    ventilator = peer(zmq.PUSH)
    ventilator_port = ventilator.bind_to_random_port("tcp://127.0.0.1")
    # An XPUB publishes like PUB and hands over the subscriptions it gets.
    weather = peer(zmq.XPUB)
    weather_port = weather.bind_to_random_port("tcp://127.0.0.1")
    reader = Example(
        reader_name, "--ventilator", endpoint(ventilator_port), "--weather", endpoint(weather_port)
    )
    output = Output(reader)
    subscription = weather.recv_multipart()
    check(
        subscription == [b"\x0110001 "],
        f"{reader_name} subscribed with {subscription}, expected the guide's filter [b'\\x0110001 ']",
    )
    tasks = [b"17", b"3", b"100"]
    updates = [b"10001 71 40", b"10001 -12 55", b"10001 134 10"]
    for task, update in zip(tasks, updates):
        ventilator.send(task)
        weather.send(update)
    output.wait_for(lambda lines: len(lines) >= 6, "three tasks and three updates")
    lines = output.all(reader.stop())
    expected_tasks = [f"task: {task.decode()}" for task in tasks]
    expected_updates = [f"weather update: {update.decode()}" for update in updates]
    expect_lines(reader_name, [line for line in lines if line.startswith("task: ")], expected_tasks)
    expect_lines(
        reader_name, [line for line in lines if line.startswith("weather update: ")], expected_updates
    )
    check(len(lines) == 6, f"{reader_name} printed more than the tasks and updates: {lines}")


@case("msreader")
def msreader_python_ventilator_and_weather():
    """msreader (Rust) reads a Python PUSH ventilator and a Python XPUB
    weather server: it subscribes with exactly "10001 ", and prints each task
    (one frame, a workload) and each update ("%05d %d %d") as sent, in order."""
    multi_socket_python_senders("msreader")


@case("mspoller")
def mspoller_python_ventilator_and_weather():
    """mspoller (Rust), as msreader: a Python PUSH ventilator and a Python
    XPUB weather server; the subscription is exactly "10001 ", every task and
    update is printed as sent, in order."""
    multi_socket_python_senders("mspoller")


# Load balancing and fair queuing.

NAMES = ["A", "B", "C"]


@case("round-robin")
def round_robin_python_services():
    """rrspread (Rust, one REQ connected to three services) against three
    Python REP services A, B and C: request N is one frame "request N", dealt
    to the services in turn in connect order; the client prints who answered
    each, then the totals."""
    services = [peer(zmq.REP) for _ in NAMES]
    ports = [service.bind_to_random_port("tcp://127.0.0.1") for service in services]
    client = Example(
        "rrspread", *[arg for port in ports for arg in ("--connect", endpoint(port))], "--requests", "9"
    )
    poller = zmq.Poller()
    for service in services:
        poller.register(service, zmq.POLLIN)
    served = []
    for number in range(1, 10):
        ready = [socket for socket, _ in poller.poll(10_000)]
        check(len(ready) == 1, f"{len(ready)} services have request {number}, expected one")
        service = ready[0]
        name = NAMES[services.index(service)]
        request = service.recv_multipart()
        check(
            request == [f"request {number}".encode()],
            f"service {name} received {request}, expected [b'request {number}']",
        )
        service.send(name.encode())
        served.append(name)
    check(served == NAMES * 3, f"the services answered in the order {served}, expected A, B, C in turn")
    expect_lines("rrspread", finished(client).splitlines(), [
        *[f"Request {number} answered by {name}" for number, name in enumerate(served, 1)],
        *[f"{name} answered 3" for name in NAMES],
    ])


@case("round-robin")
def round_robin_python_client():
    """Three rrservice (Rust, REP, named A, B and C) behind a Python REQ
    client connected to all three: each reply is one frame, the service's
    name, in turn; each service prints the requests it got."""
    ports = [free_port() for _ in NAMES]
    services = [
        Example("rrservice", "--bind", endpoint(port), "--name", name) for port, name in zip(ports, NAMES)
    ]
    client = peer(zmq.REQ)
    for port in ports:
        client.connect(endpoint(port))
    for number in range(1, 7):
        client.send(f"request {number}".encode())
        reply = client.recv_multipart()
        expected = NAMES[(number - 1) % 3].encode()
        check(reply == [expected], f"request {number} got the reply {reply}, expected [{expected!r}]")
    for index, (service, name) in enumerate(zip(services, NAMES)):
        expect_lines(
            f"rrservice {name}",
            service.stop().splitlines(),
            [f"Received request {index + 1}", f"Received request {index + 4}"],
        )


def fair_queue(counts):
    """What fqreader prints for senders A, B and C (connected in that order)
    that sent `counts` messages: one from each sender in turn, then totals."""
    lines = []
    for number in range(1, max(counts) + 1):
        lines += [f"{name}: message {number}" for name, count in zip(NAMES, counts) if number <= count]
    return lines + [f"{count} from {name}" for name, count in zip(NAMES, counts)]


def python_senders_to_fqreader(publish, counts):
    """Three Python senders (PUSH, or XPUB to see the subscription) bound,
    fqreader connected to them; each sends [name]["message N"] and leaves."""
    senders = [peer(zmq.XPUB if publish else zmq.PUSH) for _ in NAMES]
    ports = [sender.bind_to_random_port("tcp://127.0.0.1") for sender in senders]
    reader = Example(
        "fqreader",
        *[arg for port in ports for arg in ("--connect", endpoint(port))],
        *(["--subscribe"] if publish else []),
    )
    for sender, name, count in zip(senders, NAMES, counts):
        if publish:
            subscription = sender.recv_multipart()
            check(
                subscription == [b"\x01"],
                f"fqreader subscribed with {subscription}, expected everything [b'\\x01']",
            )
        for number in range(1, count + 1):
            sender.send_multipart([name.encode(), f"message {number}".encode()])
        sender.linger = 5000  # Leave once the messages are out.
        sender.close()
    expect_lines("fqreader", finished(reader).splitlines(), [
        "Waiting for 3 senders to send their messages and leave…",
        *fair_queue(counts),
    ])


def rust_senders_to_python_reader(publish, counts):
    """Three fqsender (Rust) bound, a Python reader (PULL, or SUB to
    everything) connected to them: every message is [name]["message N"],
    each sender's in order; each sender says how many it sent, and exits."""
    ports = [free_port() for _ in NAMES]
    senders = [
        Example("fqsender", "--bind", endpoint(port), "--name", name, "--count", str(count),
                *(["--publish"] if publish else []))
        for port, name, count in zip(ports, NAMES, counts)
    ]
    reader = peer(zmq.SUB, subscribe=b"") if publish else peer(zmq.PULL)
    for port in ports:
        reader.connect(endpoint(port))
    received = {name: [] for name in NAMES}
    for _ in range(sum(counts)):
        frames = reader.recv_multipart()
        check(len(frames) == 2, f"a message of {len(frames)} frames: {frames}, expected [name][text]")
        name = frames[0].decode()
        check(name in received, f"a message from {frames[0]!r}, expected one of {NAMES}")
        received[name].append(frames[1].decode())
    for sender, name, count in zip(senders, NAMES, counts):
        expect_lines(f"fqsender {name}", finished(sender).splitlines(), [f"{name} sent {count} messages"])
        expected = [f"message {number}" for number in range(1, count + 1)]
        check(received[name] == expected, f"{name} sent {received[name]}, expected {expected}")
    check(reader.poll(200) == 0, f"more than the {sum(counts)} messages sent")


@case("fair-queuing")
def fair_queuing_python_senders():
    """fqreader (Rust, PULL) connected to three Python PUSH senders, which
    send 4, 3 and 2 messages of two frames [name]["message N"] and leave: it
    takes one from each in turn, and prints them and the totals."""
    python_senders_to_fqreader(publish=False, counts=[4, 3, 2])


@case("fair-queuing")
def fair_queuing_python_reader():
    """Three fqsender (Rust, PUSH) and a Python PULL reader: each message is
    exactly [name]["message N"]."""
    rust_senders_to_python_reader(publish=False, counts=[4, 3, 2])


@case("sub-fair-queuing")
def sub_fair_queuing_python_publishers():
    """fqreader --subscribe (Rust, SUB) connected to three Python publishers
    (XPUB), which get its subscription to everything, send 6, 4 and 2
    messages [name]["message N"] and leave: one from each in turn."""
    python_senders_to_fqreader(publish=True, counts=[6, 4, 2])


@case("sub-fair-queuing")
def sub_fair_queuing_python_subscriber():
    """Three fqsender --publish (Rust, XPUB) and a Python SUB to everything:
    each waits for the subscription, and every message is exactly
    [name]["message N"]."""
    rust_senders_to_python_reader(publish=True, counts=[6, 4, 2])


# The built-in proxy, and the three devices.


@case("msgqueue")
def msgqueue_python_worker_and_clients():
    """msgqueue (Rust, ROUTER-DEALER proxy) between two clients, the Rust
    rrclient and a Python REQ, and a Python DEALER worker. The worker sees the
    guide's envelope on every request, [routing id][""]["Hello"], and answers
    [routing id][""]["World"]: the replies reach the right clients."""
    front, back = free_port(), free_port()
    broker = Example(
        "msgqueue", "--frontend", endpoint(front), "--backend", endpoint(back), "--workers", "1"
    )
    worker = peer(zmq.DEALER, connect=endpoint(back))
    rust_client = Example("rrclient", "--connect", endpoint(front))
    client = peer(zmq.REQ, connect=endpoint(front))
    poller = zmq.Poller()
    poller.register(worker, zmq.POLLIN)
    poller.register(client, zmq.POLLIN)
    client.send(b"Hello")
    routing_ids, python_replies = [], 0
    deadline = time.monotonic() + TIMEOUT_S
    while python_replies < 3 or len(routing_ids) < 13:
        check(time.monotonic() < deadline, f"{len(routing_ids)} requests reached the worker, expected 13")
        ready = dict(poller.poll(100))
        if worker in ready:
            frames = worker.recv_multipart()
            check(
                len(frames) == 3 and frames[0] != b"" and frames[1] == b"" and frames[2] == b"Hello",
                f"the worker received {frames}, expected [routing id][b''][b'Hello']",
            )
            routing_ids.append(frames[0])
            worker.send_multipart([frames[0], b"", b"World"])
        if client in ready:
            reply = client.recv_multipart()
            check(reply == [b"World"], f"the Python client got {reply}, expected [b'World']")
            python_replies += 1
            if python_replies < 3:
                client.send(b"Hello")
    check(len(routing_ids) == 13, f"{len(routing_ids)} requests reached the worker, expected 13")
    check(
        len(set(routing_ids)) == 2,
        f"the requests came with {len(set(routing_ids))} routing ids, expected 2 (two clients)",
    )
    expect_lines(
        "rrclient", finished(rust_client).splitlines(), [f"Received reply {n} [World]" for n in range(10)]
    )
    check(broker.stop() == "Waiting for 1 worker to connect…\n", "msgqueue printed more than its wait")


@case("streamer")
def streamer_python_ventilator_worker_and_sink():
    """streamer (Rust, PULL-PUSH proxy) between a Python PUSH ventilator and
    two workers: a Python PULL worker and the Rust taskwork, whose results go
    to a Python PULL sink. Each task, one frame with a workload in msec,
    reaches one worker untouched, dealt in turn; taskwork prints each and
    sends one empty frame per task to the sink."""
    ventilator = peer(zmq.PUSH)
    ventilator_port = ventilator.bind_to_random_port("tcp://127.0.0.1")
    sink = peer(zmq.PULL)
    sink_port = sink.bind_to_random_port("tcp://127.0.0.1")
    backend = free_port()
    streamer = Example(
        "streamer", "--frontend", endpoint(ventilator_port), "--backend", endpoint(backend), "--workers", "2"
    )
    worker = peer(zmq.PULL, connect=endpoint(backend))
    rust_worker = Example("taskwork", "--ventilator", endpoint(backend), "--sink", endpoint(sink_port))
    workloads = [str(n).encode() for n in range(1, 11)]
    for workload in workloads:  # The first waits for the streamer, which waits for both workers.
        ventilator.send(workload)
    poller = zmq.Poller()
    poller.register(worker, zmq.POLLIN)
    poller.register(sink, zmq.POLLIN)
    python_tasks, results = [], 0
    deadline = time.monotonic() + TIMEOUT_S
    while len(python_tasks) + results < len(workloads):
        check(
            time.monotonic() < deadline,
            f"{len(python_tasks)} tasks and {results} results in {TIMEOUT_S} s, expected 10 in all",
        )
        ready = dict(poller.poll(100))
        if worker in ready:
            frames = worker.recv_multipart()
            check(
                len(frames) == 1 and frames[0] in workloads,
                f"the Python worker received {frames}, expected one frame, one of the workloads",
            )
            python_tasks.append(frames[0])
        if sink in ready:
            frames = sink.recv_multipart()
            check(frames == [b""], f"taskwork sent the result {frames}, expected one empty frame")
            results += 1
    check(sink.poll(200) == 0 and worker.poll(0) == 0, "more tasks or results than the ventilator sent")
    rust_tasks = [workload for workload in workloads if workload not in python_tasks]
    check(
        len(python_tasks) == 5 == results,
        f"the Python worker got {len(python_tasks)} tasks, taskwork {results}: expected 5 each, dealt in turn",
    )
    expect_lines(
        "taskwork", rust_worker.stop().splitlines(), [f"{workload.decode()}." for workload in rust_tasks]
    )
    check(streamer.stop() == "Waiting for 2 workers to connect…\n", "streamer printed more than its wait")


# Handling errors and ETERM: the KILL signal.


def python_kill_worker(ventilator, sink, controller):
    """The guide's taskwork2 in Python: tasks from PULL, an empty result on
    PUSH for each, until one frame "KILL" on SUB. Its workloads."""
    from zmq.utils.monitor import recv_monitor_message

    control = peer(zmq.SUB, subscribe=b"")
    monitor = control.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    monitor.rcvtimeo = 10_000
    control.connect(controller)
    # Take tasks only once the subscription is on its way: the KILL comes
    # right after the batch, which Python workers get through fast.
    event = recv_monitor_message(monitor)["event"]
    check(event == zmq.EVENT_HANDSHAKE_SUCCEEDED, f"the controller's event {event}, expected a handshake")
    control.disable_monitor()
    monitor.close()
    receiver = peer(zmq.PULL, connect=ventilator)
    sender = peer(zmq.PUSH, connect=sink)
    poller = zmq.Poller()
    poller.register(receiver, zmq.POLLIN)
    poller.register(control, zmq.POLLIN)
    workloads = []
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        check(time.monotonic() < deadline, f"no KILL in {TIMEOUT_S} s, after {len(workloads)} tasks")
        ready = dict(poller.poll(100))
        if receiver in ready:
            frames = receiver.recv_multipart()
            check(
                len(frames) == 1 and frames[0].isdigit() and 1 <= int(frames[0]) <= 100,
                f"the task {frames}, expected one frame, a workload of 1 to 100 msec",
            )
            workloads.append(int(frames[0]))
            sender.send(b"")
        if control in ready:
            frames = control.recv_multipart()
            check(frames == [b"KILL"], f"the controller said {frames}, expected [b'KILL']")
            return workloads


@case("pipeline-kill")
def pipeline_kill_python_workers():
    """tasksink2 and taskvent (Rust) with two Python workers in between:
    every task is one frame, a workload of 1 to 100; after the hundredth
    result the sink publishes one frame "KILL", which stops both workers.
    The ventilator's expected cost is the sum of the workloads the workers
    got; the sink prints its progress line and the elapsed time."""
    sink_port, control_port, vent_port = free_port(), free_port(), free_port()
    sink = Example("tasksink2", "--bind", endpoint(sink_port), "--controller", endpoint(control_port))
    workers = [
        PeerThread(python_kill_worker, endpoint(vent_port), endpoint(sink_port), endpoint(control_port))
        for _ in range(2)
    ]
    ventilator = Example(
        "taskvent", "--bind", endpoint(vent_port), "--sink", endpoint(sink_port),
        "--workers", "2", "--seed", "11",
    )
    vent_lines = finished(ventilator).splitlines()
    sink_lines = finished(sink).splitlines()
    done = [worker.outcome() for worker in workers]
    check(all(done), f"the workers did {[len(d) for d in done]} tasks: one did none")
    check(sum(map(len, done)) == 100, f"the workers did {sum(map(len, done))} tasks, not 100")
    expect_lines("taskvent", vent_lines, [
        "Waiting for 2 workers to connect…",
        "Sending tasks to workers…",
        f"Total expected cost: {sum(map(sum, done))} msec",
    ])
    check(
        len(sink_lines) == 2 and sink_lines[0] == (":" + "." * 9) * 10
        and re.fullmatch(r"Total elapsed time: \d+ msec", sink_lines[1]),
        f"tasksink2 printed {sink_lines}",
    )


@case("pipeline-kill")
def pipeline_kill_rust_worker():
    """taskwork2 (Rust) between a Python ventilator (PUSH), sink (PULL) and
    controller (XPUB): it subscribes to everything, prints each workload,
    sends one empty frame per task, and exits by itself, status 0, on KILL."""
    ventilator = peer(zmq.PUSH)
    vent_port = ventilator.bind_to_random_port("tcp://127.0.0.1")
    sink = peer(zmq.PULL)
    sink_port = sink.bind_to_random_port("tcp://127.0.0.1")
    controller = peer(zmq.XPUB)
    control_port = controller.bind_to_random_port("tcp://127.0.0.1")
    worker = Example(
        "taskwork2", "--ventilator", endpoint(vent_port), "--sink", endpoint(sink_port),
        "--controller", endpoint(control_port),
    )
    subscription = controller.recv_multipart()
    check(
        subscription == [b"\x01"],
        f"taskwork2 subscribed with {subscription}, expected everything [b'\\x01']",
    )
    workloads = [b"5", b"1", b"3"]
    for workload in workloads:
        ventilator.send(workload)
    for _ in workloads:
        result = sink.recv_multipart()
        check(result == [b""], f"taskwork2 sent the result {result}, expected one empty frame")
    controller.send(b"KILL")
    expect_lines("taskwork2", finished(worker).splitlines(), ["5.", "1.", "3."])


# Interrupt signals.


@case("interrupt")
def interrupt_python_client():
    """interrupt (Rust, REP) answers a Python REQ client's "Hello" with one
    frame "World", printing "W: recv" each time; Ctrl-C, then SIGTERM on a
    second run, stop it through its self-pipe: exit 0, its two last lines."""
    stopped = ["W: interrupt received, killing server…", "W: cleaning up"]
    for signal_number, requests in [(signal.SIGINT, 3), (signal.SIGTERM, 1)]:
        port = free_port()
        server = Example("interrupt", "--bind", endpoint(port))
        client = peer(zmq.REQ, connect=endpoint(port))
        for _ in range(requests):
            client.send(b"Hello")
            reply = client.recv_multipart()
            check(reply == [b"World"], f"the reply is {reply}, expected [b'World']")
        client.close()
        if signal_number == signal.SIGINT:
            out = server.stop()
        else:
            server.process.send_signal(signal_number)
            out = finished(server)
        expect_lines(
            f"interrupt (after {signal_number.name})", out.splitlines(), ["W: recv"] * requests + stopped
        )


# Exclusive pair.


def pairpeer_lines(first_line, side, other, count=3):
    return [
        first_line,
        *[f'Sent "{n} from the {side}"' for n in range(1, count + 1)],
        *[f'Received "{n} from the {other}"' for n in range(1, count + 1)],
    ]


@case("pair")
def pair_python_peer():
    """pairpeer (Rust, PAIR) with a Python PAIR on the other side, both ways
    round: each sends three one-frame messages "N from the SIDE side" and
    reads the other's; the Rust side prints what it sent and received, and
    exits 0."""
    for rust_side, python_side in [("bind side", "connect side"), ("connect side", "bind side")]:
        if rust_side == "bind side":
            port = free_port()
            rust = Example("pairpeer", "--bind", endpoint(port))
            python = peer(zmq.PAIR, connect=endpoint(port))
            first_line = f"Bound to {endpoint(port)}"
        else:
            python = peer(zmq.PAIR)
            port = python.bind_to_random_port("tcp://127.0.0.1")
            rust = Example("pairpeer", "--connect", endpoint(port))
            first_line = f"Connected to {endpoint(port)}"
        for n in range(1, 4):
            python.send(f"{n} from the {python_side}".encode())
        for n in range(1, 4):
            message = python.recv_multipart()
            expected = [f"{n} from the {rust_side}".encode()]
            check(message == expected, f"the Python {python_side} received {message}, expected {expected}")
        expect_lines(f"pairpeer ({rust_side})", finished(rust).splitlines(),
                     pairpeer_lines(first_line, rust_side, python_side))
        python.close()


# Node coordination.


def python_sync_subscriber(publisher, sync, guide_way):
    """A subscriber that synchronises with syncpub: SUB to everything, then
    an empty request on REQ and its empty reply. The workbook's way waits
    for the publisher's first message first; the guide's way sleeps a
    second instead. All it received, frame lists, until END."""
    subscriber = peer(zmq.SUB, subscribe=b"")
    subscriber.rcvhwm = 0
    subscriber.connect(publisher)
    received = []
    if guide_way:
        time.sleep(1)
    else:
        received.append(subscriber.recv_multipart())
    syncclient = peer(zmq.REQ, connect=sync)
    syncclient.send(b"")
    reply = syncclient.recv_multipart()
    check(reply == [b""], f"the synchronisation reply is {reply}, expected one empty frame")
    while received[-1:] != [[b"END"]]:
        received.append(subscriber.recv_multipart())
    return received


@case("syncpub")
def syncpub_python_subscribers():
    """syncpub (Rust) waits for two Python subscribers (one empty frame on
    REQ each, answered by one empty frame), one synchronising the workbook's
    way (after the first Hello), one the guide's way (after a sleep); then
    each gets exactly 10000 "Rhubarb" and "END", one frame each, with only
    "Hello"s (which a subscriber still joining is told) before them."""
    pub_port, sync_port = free_port(), free_port()
    publisher = Example(
        "syncpub", "--bind", endpoint(pub_port), "--sync", endpoint(sync_port),
        "--subscribers", "2", "--updates", "10000",
    )
    subscribers = [
        PeerThread(python_sync_subscriber, endpoint(pub_port), endpoint(sync_port), guide_way)
        for guide_way in (False, True)
    ]
    expect_lines(
        "syncpub", finished(publisher).splitlines(), ["Waiting for subscribers", "Broadcasting messages"]
    )
    for subscriber, way in zip(subscribers, ["the workbook's", "the guide's"]):
        received = subscriber.outcome()
        hellos = 0
        while hellos < len(received) and received[hellos] == [b"Hello"]:
            hellos += 1
        rest = received[hellos:]
        check(
            rest == [[b"Rhubarb"]] * 10000 + [[b"END"]],
            f"a subscriber synchronised {way} way got {hellos} Hellos, then {len(rest)} messages "
            f"that are not 10000 [b'Rhubarb'] and [b'END']: {rest[:3]} … {rest[-3:]}",
        )


@case("syncpub")
def syncpub_python_publisher():
    """Two syncsub (Rust) synchronise with a Python publisher that says
    "Hello" on PUB every 10 ms until both have asked on REP (each request
    one empty frame), then sends 1000 "Rhubarb" and "END": each prints
    "Received 1000 updates" and exits 0."""
    publisher = peer(zmq.PUB)
    publisher.sndhwm = 0  # Drop nothing, as the guide's 1,100,000.
    pub_port = publisher.bind_to_random_port("tcp://127.0.0.1")
    syncservice = peer(zmq.REP)
    sync_port = syncservice.bind_to_random_port("tcp://127.0.0.1")
    subscribers = [
        Example("syncsub", "--connect", endpoint(pub_port), "--sync", endpoint(sync_port)) for _ in range(2)
    ]
    synced = 0
    deadline = time.monotonic() + TIMEOUT_S
    while synced < 2:
        check(time.monotonic() < deadline, f"{synced} of 2 subscribers synchronised in {TIMEOUT_S} s")
        publisher.send(b"Hello")
        if syncservice.poll(10):
            request = syncservice.recv_multipart()
            check(request == [b""], f"the synchronisation request is {request}, expected one empty frame")
            syncservice.send(b"")
            synced += 1
    for _ in range(1000):
        publisher.send(b"Rhubarb")
    publisher.send(b"END")
    for subscriber in subscribers:
        expect_lines("syncsub", finished(subscriber).splitlines(), ["Received 1000 updates"])


@case("nosync")
def nosync_python_publisher_and_subscriber():
    """syncsub --no-sync (Rust) against a Python XPUB publisher: it subscribes
    to everything, never asks on the sync endpoint, and counts the 1000
    "Rhubarb" before "END" (the publisher waits for the subscription, so none
    is lost). Then syncpub --subscribers 0 (Rust) with a Python SUB: it
    broadcasts at once, and exits 0; what reaches the late subscriber, if
    anything, is "Rhubarb"s then "END", never a "Hello"."""
    publisher = peer(zmq.XPUB)
    publisher.sndhwm = 0
    pub_port = publisher.bind_to_random_port("tcp://127.0.0.1")
    syncservice = peer(zmq.REP)
    sync_port = syncservice.bind_to_random_port("tcp://127.0.0.1")
    subscriber = Example(
        "syncsub", "--connect", endpoint(pub_port), "--sync", endpoint(sync_port), "--no-sync"
    )
    subscription = publisher.recv_multipart()
    check(
        subscription == [b"\x01"],
        f"syncsub subscribed with {subscription}, expected everything [b'\\x01']",
    )
    for _ in range(1000):
        publisher.send(b"Rhubarb")
    publisher.send(b"END")
    expect_lines("syncsub --no-sync", finished(subscriber).splitlines(), ["Received 1000 updates"])
    check(syncservice.poll(0) == 0, "syncsub --no-sync asked to synchronise")

    pub_port, sync_port = free_port(), free_port()
    late = peer(zmq.SUB, subscribe=b"", connect=endpoint(pub_port))
    rust_publisher = Example(
        "syncpub", "--bind", endpoint(pub_port), "--sync", endpoint(sync_port),
        "--subscribers", "0", "--updates", "10000",
    )
    expect_lines("syncpub --subscribers 0", finished(rust_publisher).splitlines(),
                 ["Waiting for subscribers", "Broadcasting messages"])
    received = []
    while received[-1:] != [[b"END"]] and late.poll(1000):
        received.append(late.recv_multipart())
    if received:
        check(
            received == [[b"Rhubarb"]] * (len(received) - 1) + [[b"END"]],
            f"the late subscriber got {received[:3]} … {received[-3:]}, expected Rhubarbs then END",
        )


# High-water marks.


@case("hwm")
def hwm_python_peers_over_tcp():
    """hwm (Rust) runs its inproc:// rounds by itself; in its tcp:// round
    Python stands on the far side of each socket: a Python SUB reads its PUB,
    a Python PUB answers its probes, a Python PULL reads its PUSH. Its PUB
    sends empty probes, then messages 1 to N of 1000 bytes, the number in the
    first four (big-endian), the rest zeros: the Python SUB gets message 1
    and then only higher numbers. The Python PUB sends only empty probes, so
    hwm must say that none of its own numbered messages arrived. Its PUSH
    sends messages of 1000 zero bytes, which the Python PULL reads."""
    n = 2000
    subscriber = peer(zmq.SUB, subscribe=b"")
    subscriber.rcvhwm = 0
    publisher = peer(zmq.PUB)
    sub_connect = publisher.bind_to_random_port("tcp://127.0.0.1")
    pull = peer(zmq.PULL)
    push_connect = pull.bind_to_random_port("tcp://127.0.0.1")
    pub_bind, pull_bind = free_port(), free_port()
    hwm = Example(
        "hwm", "--pub-bind", endpoint(pub_bind), "--sub-connect", endpoint(sub_connect),
        "--pull-bind", endpoint(pull_bind), "--push-connect", endpoint(push_connect), "--messages", str(n),
    )
    subscriber.connect(endpoint(pub_bind))
    poller = zmq.Poller()
    poller.register(subscriber, zmq.POLLIN)
    poller.register(pull, zmq.POLLIN)
    probing, numbers, pulled, last_probe = False, [], 0, 0.0
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        check(time.monotonic() < deadline, f"hwm still runs after {TIMEOUT_S} s")
        ready = dict(poller.poll(10))
        if subscriber in ready:
            (body,) = subscriber.recv_multipart()
            if body == b"":
                check(not numbers, "an empty probe after the numbered messages")
                probing = True  # Our subscription is live there: answer with probes.
            else:
                check(
                    len(body) == 1000 and body[4:] == bytes(996),
                    f"a message of {len(body)} bytes: {body[:8]!r}…, expected 1000, zeros after the number",
                )
                number = int.from_bytes(body[:4], "big")
                check(
                    number == 1 if not numbers else numbers[-1] < number <= n,
                    f"message {number} after {numbers[-1:]}: PUB drops only what does not fit, "
                    "and the first ones fit",
                )
                numbers.append(number)
        if pull in ready:
            message = pull.recv_multipart()
            check(
                message == [bytes(1000)],
                f"PUSH sent {len(message)} frames of {[len(f) for f in message]} bytes, "
                "expected one of 1000 zeros",
            )
            pulled += 1
        if probing and not numbers and time.monotonic() - last_probe >= 0.01:
            publisher.send(b"")
            last_probe = time.monotonic()
        if not ready and hwm.process.poll() is not None:
            break
    lines = finished(hwm).splitlines()
    first = f"{n} messages sent each time, to a peer that reads nothing until they are sent."
    check(lines[:1] == [first], f"hwm's first line: {lines[:1]}, expected {first!r}")
    heading = "Over tcp, default HWMs, messages of 1000 bytes (varies from run to run):"
    check(heading in lines and lines.index(heading) == len(lines) - 3,
          f"hwm printed {lines}, expected the tcp round's two lines last, after {heading!r}")
    tcp = lines.index(heading)
    check(lines[tcp + 1] == f"  PUB to SUB: 0 arrived, {n} dropped",
          f"hwm says {lines[tcp + 1]!r}; the Python PUB sent it only empty probes")
    check(numbers, "the Python SUB got no numbered message")
    pushed = re.fullmatch(
        r"  PUSH to PULL: (?:all (\d+) sent|(\d+) sent, then no room for 500 ms)", lines[tcp + 2]
    )
    check(pushed, f"hwm says {lines[tcp + 2]!r}")
    sent = int(pushed[1] or pushed[2])
    check(0 < pulled <= sent <= n, f"hwm says it pushed {sent}; the Python PULL read {pulled}")
