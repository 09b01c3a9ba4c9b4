"""Interop cases for performance: see run.py."""

import re

import zmq

from harness import Example, Failed, check, expect, free_port, peer, case  # noqa: F401

SIZE, COUNT, ROUNDTRIPS = 256, 10_000, 1_000


def figures(out, expected):
    """The tool's lines, in the C tools' order and format: each of
    `expected` (regular expressions) matches its line exactly; the numbers
    matched are returned."""
    lines = out.splitlines()
    check(len(lines) == len(expected), f"{len(lines)} lines, not {len(expected)}: {out!r}")
    found = []
    for line, pattern in zip(lines, expected):
        match = re.fullmatch(pattern, line)
        check(match is not None, f"the line {line!r} is not /{pattern}/")
        found.extend(match.groups())
    return found


@case("throughput")
def throughput_python_sender():
    """local_thr (Rust) binds PULL; a Python PUSH sends it COUNT messages of
    SIZE bytes. local_thr exits 0 and prints its four lines: the size, the
    count, and the throughput in msg/s and Mb/s, both positive."""
    port = free_port()
    local = Example("local_thr", f"tcp://127.0.0.1:{port}", str(SIZE), str(COUNT))
    sender = peer(zmq.PUSH, connect=f"tcp://127.0.0.1:{port}")
    payload = bytes(SIZE)
    try:
        for _ in range(COUNT):
            sender.send(payload)
    except zmq.Again:
        status, _, err = local.finish()
        raise Failed(f"local_thr took no more messages: it exited {status}, saying {err.strip()!r}")
    status, out, err = local.finish()
    sender.close()
    check(status == 0, f"local_thr exited {status}: {err}")
    check(err == "", f"local_thr wrote on stderr: {err}")
    size, count, per_second, megabits = figures(out, [
        r"message size: (\d+) \[B\]",
        r"message count: (\d+)",
        r"mean throughput: (\d+) \[msg/s\]",
        r"mean throughput: (\d+\.\d{3}) \[Mb/s\]",
    ])
    check(int(size) == SIZE and int(count) == COUNT, f"local_thr counted {count} of {size} B")
    check(int(per_second) > 0 and float(megabits) > 0, f"local_thr measured nothing: {out!r}")
    expected_megabits = int(per_second) * SIZE * 8 / 1e6
    check(
        abs(float(megabits) - expected_megabits) <= expected_megabits * 0.01 + 0.01,
        f"{megabits} Mb/s is not {per_second} msg/s of {SIZE} B",
    )


@case("throughput")
def throughput_python_receiver():
    """remote_thr (Rust) connects PUSH to a Python PULL and sends COUNT
    messages: each one frame of SIZE bytes, no more, no fewer; it exits 0
    and prints nothing, as the C tool does."""
    receiver = peer(zmq.PULL)
    port = receiver.bind_to_random_port("tcp://127.0.0.1")
    remote = Example("remote_thr", f"tcp://127.0.0.1:{port}", str(SIZE), str(COUNT))
    for n in range(COUNT):
        frames = expect(receiver, f"message {n} from remote_thr", remote)
        check(len(frames) == 1, f"message {n}: {len(frames)} frames, not 1")
        check(len(frames[0]) == SIZE, f"message {n}: {len(frames[0])} bytes, not {SIZE}")
    status, out, err = remote.finish()
    check(status == 0, f"remote_thr exited {status}: {err}")
    check(out == "" and err == "", f"remote_thr printed {out!r} {err!r}")
    receiver.rcvtimeo = 300
    try:
        extra = receiver.recv()
    except zmq.Again:
        extra = None
    receiver.close()
    check(extra is None, f"a message more than {COUNT}")


@case("latency")
def latency_python_requester():
    """local_lat (Rust) binds REP; a Python REQ sends ROUNDTRIPS messages of
    SIZE bytes, each different, and each must come back as it went, one
    frame. local_lat exits 0 once it has served them all, printing nothing."""
    port = free_port()
    local = Example("local_lat", f"tcp://127.0.0.1:{port}", str(SIZE), str(ROUNDTRIPS))
    requester = peer(zmq.REQ, connect=f"tcp://127.0.0.1:{port}")
    for n in range(ROUNDTRIPS):
        message = n.to_bytes(4, "big") * (SIZE // 4)
        requester.send(message)
        echo = expect(requester, f"echo {n} from local_lat", local)
        check(echo == [message], f"round trip {n}: {len(echo)} frames, not the message sent")
    status, out, err = local.finish()
    requester.close()
    check(status == 0, f"local_lat exited {status}: {err}")
    check(out == "" and err == "", f"local_lat printed {out!r} {err!r}")


@case("latency")
def latency_python_echo():
    """remote_lat (Rust) connects REQ to a Python REP that echoes: each
    request is one frame of SIZE bytes; remote_lat exits 0 after ROUNDTRIPS
    round trips and prints its three lines: size, count, latency."""
    echo = peer(zmq.REP)
    port = echo.bind_to_random_port("tcp://127.0.0.1")
    remote = Example("remote_lat", f"tcp://127.0.0.1:{port}", str(SIZE), str(ROUNDTRIPS))
    for n in range(ROUNDTRIPS):
        frames = expect(echo, f"request {n} from remote_lat", remote)
        check(len(frames) == 1, f"request {n}: {len(frames)} frames, not 1")
        check(len(frames[0]) == SIZE, f"request {n}: {len(frames[0])} bytes, not {SIZE}")
        echo.send(frames[0])
    status, out, err = remote.finish()
    echo.close()
    check(status == 0, f"remote_lat exited {status}: {err}")
    check(err == "", f"remote_lat wrote on stderr: {err}")
    size, count, latency = figures(out, [
        r"message size: (\d+) \[B\]",
        r"roundtrip count: (\d+)",
        r"average latency: (\d+\.\d{3}) \[us\]",
    ])
    check(int(size) == SIZE and int(count) == ROUNDTRIPS, f"remote_lat counted {count} of {size} B")
    check(float(latency) > 0, f"remote_lat measured no latency: {out!r}")
