#!/usr/bin/env python3
"""Peers in another language: Python (pyzmq) programs that speak the guide's
wire formats, plugged in front of and behind the workbook's Rust examples.
Each case replaces at least one process of a lesson with a Python peer and
checks what the Rust side did. A Rust example that strays from the guide's
format (another separator, a missing frame) fails here, whatever the
workbook's own tests say.

Run it: cargo make interop   (makes the virtual environment, builds the examples)
Or:     PYTHON -m interop.run [CASE...]   (from the workbook's folder)
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

import zmq

BIN = os.environ.get("BIN_DIR", "target/debug/examples")
TIMEOUT_S = 30  # Every wait is bounded; a hang fails the case.

CASES = []


def case(function):
    CASES.append(function)
    return function


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def free_port():
    """A TCP port nothing listens on now, for a Rust example to bind."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Example:
    """A Rust example run as a process, its output collected."""

    running = []

    def __init__(self, name, *args):
        self.name = name
        self.process = subprocess.Popen(
            [os.path.join(BIN, name), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        Example.running.append(self)

    def interrupt(self):
        """Ctrl-C, as a learner would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def finish(self, timeout=TIMEOUT_S):
        """Wait for it to exit: its status, stdout and stderr."""
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            raise Failed(f"{self.name} still running after {timeout} s:\n{out}\n{err}")
        return self.process.returncode, out, err

    def stop(self):
        """Ctrl-C it; it must exit 0 with nothing on stderr."""
        self.interrupt()
        status, out, err = self.finish()
        check(status == 0, f"{self.name} exited {status} after Ctrl-C: {err}")
        check(err == "", f"{self.name} wrote on stderr: {err}")
        return out

    @classmethod
    def kill_all(cls):
        for example in cls.running:
            if example.process.poll() is None:
                example.process.kill()
                example.process.wait()
        cls.running.clear()


def context():
    ctx = zmq.Context.instance()
    return ctx


def peer(kind, *, connect=None, bind=None, identity=None, subscribe=None):
    """A pyzmq socket with bounded waits (10 s) and no linger."""
    s = context().socket(kind)
    s.rcvtimeo = 10_000
    s.sndtimeo = 10_000
    s.linger = 0
    if identity is not None:
        s.identity = identity
    if subscribe is not None:
        s.setsockopt(zmq.SUBSCRIBE, subscribe)
    if bind:
        s.bind(bind)
    if connect:
        s.connect(connect)
    return s


# ---------------------------------------------------------------- chapter 1


@case
def hello_python_client():
    """hwserver (Rust) answers a Python REQ client: "Hello" -> "World"."""
    port = free_port()
    server = Example("hwserver", "--bind", f"tcp://127.0.0.1:{port}")
    client = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{port}")
    for _ in range(3):
        client.send(b"Hello")
        check(client.recv() == b"World", "the reply is not World")
    out = server.stop()
    check(out.count("Received Hello") == 3, f"hwserver printed {out!r}")


@case
def hello_python_server():
    """hwclient (Rust) asks a Python REP server ten times."""
    server = peer(zmq.REP)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = Example("hwclient", "--connect", f"tcp://127.0.0.1:{port}")
    for _ in range(10):
        check(server.recv() == b"Hello", "the request is not Hello")
        server.send(b"World")
    status, out, err = client.finish()
    check(status == 0, f"hwclient exited {status}: {err}")
    check(out.count("Received World") == 10, f"hwclient printed {out!r}")


@case
def weather_python_subscriber():
    """wuserver (Rust) publishes "%05d %d %d"; a Python SUB parses 100."""
    port = free_port()
    server = Example("wuserver", "--bind", f"tcp://127.0.0.1:{port}", "--seed", "7")
    sub = peer(zmq.SUB, connect=f"tcp://127.0.0.1:{port}", subscribe=b"10001 ")
    temperatures = []
    while len(temperatures) < 100:
        update = sub.recv()
        zipcode, temperature, humidity = update.split(b" ")
        check(len(zipcode) == 5 and zipcode == b"10001", f"bad zipcode in {update!r}")
        check(-80 <= int(temperature) <= 134, f"bad temperature in {update!r}")
        check(10 <= int(humidity) <= 59, f"bad humidity in {update!r}")
        temperatures.append(int(temperature))
    server.stop()


@case
def weather_python_publisher():
    """wuclient (Rust) averages 100 updates from a Python PUB."""
    pub = peer(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    client = Example("wuclient", "--connect", f"tcp://127.0.0.1:{port}")
    deadline = time.monotonic() + TIMEOUT_S
    while client.process.poll() is None and time.monotonic() < deadline:
        pub.send(b"10001 20 40")
        pub.send(b"10002 99 40")  # Another zipcode: filtered out.
        time.sleep(0.001)
    status, out, err = client.finish()
    check(status == 0, f"wuclient exited {status}: {err}")
    check("Average temperature for zipcode '10001 ' was 20F" in out, f"wuclient printed {out!r}")


def python_worker(ventilator, sink, stop, done):
    """The guide's worker: a workload in msec as text, an empty result."""
    receiver = peer(zmq.PULL, connect=ventilator)
    sender = peer(zmq.PUSH, connect=sink)
    receiver.rcvtimeo = 200
    while not stop.is_set():
        try:
            workload = receiver.recv()
        except zmq.Again:
            continue
        time.sleep(int(workload) / 1000)
        sender.send(b"")
        done.append(int(workload))


@case
def pipeline_python_workers():
    """taskvent and tasksink (Rust) with two Python workers in between."""
    vent_port, sink_port = free_port(), free_port()
    ventilator_at, sink_at = f"tcp://127.0.0.1:{vent_port}", f"tcp://127.0.0.1:{sink_port}"
    sink = Example("tasksink", "--bind", sink_at)
    stop, done = threading.Event(), []
    workers = [
        threading.Thread(target=python_worker, args=(ventilator_at, sink_at, stop, done))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    ventilator = Example(
        "taskvent", "--bind", ventilator_at, "--sink", sink_at, "--workers", "2", "--seed", "42"
    )
    try:
        status, out, err = ventilator.finish()
        check(status == 0, f"taskvent exited {status}: {err}")
        status, out, err = sink.finish()
        check(status == 0, f"tasksink exited {status}: {err}")
        check("Total elapsed time:" in out, f"tasksink printed {out!r}")
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    check(len(done) == 100, f"the Python workers did {len(done)} tasks, not 100")


# ---------------------------------------------------------------- chapter 2


@case
def shared_queue_python_client_and_worker():
    """rrbroker (Rust) between a Python REQ client and a Python REP worker,
    and the Rust rrworker answering the Python client too."""
    front, back = free_port(), free_port()
    broker = Example(
        "rrbroker", "--frontend", f"tcp://127.0.0.1:{front}", "--backend", f"tcp://127.0.0.1:{back}"
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


@case
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


@case
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
        zipcode, temperature, humidity = sub.recv().split(b" ")
        check(zipcode == b"10001", f"zipcode {zipcode!r}")
        int(temperature), int(humidity)
    proxy.stop()
    server.stop()


@case
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


# ---------------------------------------------------------------- chapter 3


@case
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


@case
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


def main(names):
    chosen = [c for c in CASES if not names or c.__name__ in names]
    if not chosen:
        print(f"interop: no case named {names}; the cases: {[c.__name__ for c in CASES]}")
        return 2
    failures = 0
    for function in chosen:
        started = time.monotonic()
        try:
            function()
            print(f"interop: {function.__name__}: passed ({time.monotonic() - started:.1f} s)")
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the next case
            failures += 1
            print(f"interop: {function.__name__}: FAILED: {error}")
            if not isinstance(error, Failed):
                traceback.print_exc()
        finally:
            Example.kill_all()
    print(f"interop: {len(chosen) - failures} of {len(chosen)} cases passed (pyzmq {zmq.__version__}, libzmq {zmq.zmq_version()})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
