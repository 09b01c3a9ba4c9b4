"""Interop cases for chapter 3 (advanced request-reply): see run.py."""

import threading
import time

import zmq

from harness import Example, check, free_port, peer, case, TIMEOUT_S


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
