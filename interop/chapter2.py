"""Interop cases for chapter 2 (sockets and patterns): see run.py."""

import threading
import time

import zmq

from harness import Example, check, free_port, peer, case, TIMEOUT_S


@case("shared-queue")
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
        zipcode, temperature, humidity = sub.recv().split(b" ")
        check(zipcode == b"10001", f"zipcode {zipcode!r}")
        int(temperature), int(humidity)
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
