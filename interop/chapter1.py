"""Interop cases for chapter 1 (basics): see run.py."""

import threading
import time

import zmq

from harness import Example, check, free_port, peer, case, weather_update, TIMEOUT_S


@case("hello")
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


@case("hello")
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


@case("weather")
def weather_python_subscriber():
    """wuserver (Rust) publishes "%05d %d %d"; a Python SUB parses 100."""
    port = free_port()
    server = Example("wuserver", "--bind", f"tcp://127.0.0.1:{port}", "--seed", "7")
    sub = peer(zmq.SUB, connect=f"tcp://127.0.0.1:{port}", subscribe=b"10001 ")
    temperatures = []
    while len(temperatures) < 100:
        update = sub.recv()
        zipcode, temperature, humidity = weather_update(update)
        check(zipcode == b"10001", f"bad zipcode in {update!r}")
        check(-80 <= temperature <= 134, f"bad temperature in {update!r}")
        check(10 <= humidity <= 59, f"bad humidity in {update!r}")
        temperatures.append(temperature)
    server.stop()


@case("weather")
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


@case("pipeline")
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
