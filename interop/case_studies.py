"""Interop cases for the case studies: see run.py.

Each case puts Python (pyzmq) peers where the lesson has one of its Rust
processes, speaks the format the case study's page documents, and parses what
the Rust side sends strictly: the frames, the separators, the JSON fields.
Malformed input goes to the Rust side too, and its one line on stderr is
checked word for word."""

import json
import math
import os
import re
import sqlite3
import tempfile
import time

import zmq

from harness import Example, Failed, check, free_port, peer, case, TIMEOUT_S

LOOPBACK = "tcp://127.0.0.1"


def at(port):
    return f"{LOOPBACK}:{port}"


def lines(text):
    return text.splitlines()


def skipped(program, why):
    """The line a Rust example writes on stderr for a malformed message."""
    return f"{program}: skipping malformed message: {why}"


def frames_from(socket, who):
    """The next message, all its frames; a bounded wait."""
    try:
        return socket.recv_multipart()
    except zmq.Again:
        raise Failed(f"nothing from {who} within {socket.rcvtimeo / 1000:.0f} s") from None


def one_frame(socket, who):
    """The next message, which must be exactly one frame."""
    frames = frames_from(socket, who)
    check(len(frames) == 1, f"{who} sent {len(frames)} frames, expected 1: {frames!r}")
    return frames[0]


def envelope(request, body, who):
    """A request as a Python ROUTER gets it from a REQ (or a DEALER that
    does REQ's part): [identity, "", body], exactly. Its identity."""
    expected = [b"", *body]
    check(len(request) >= 1 and request[1:] == expected,
          f"{who} sent {request[1:]!r} after its identity, expected {expected!r}")
    return request[0]


def nothing_more(socket, who, ms=300):
    """Nothing else arrives within `ms`."""
    if socket.poll(ms):
        raise Failed(f"{who} sent something more: {socket.recv_multipart()!r}")


def ended(example, *, stderr=()):
    """Wait for an example that ends by itself: status 0, stderr exactly
    `stderr`; its stdout lines."""
    status, out, err = example.finish()
    check(status == 0, f"{example.name} exited {status}: {err}")
    got, expected = lines(err), list(stderr)
    if got != expected:
        unexpected = [line for line in got if line not in expected]
        missing = [line for line in expected if line not in got]
        raise Failed(
            f"{example.name}'s stderr is not as expected: unexpected lines {unexpected!r}, missing lines "
            f"{missing!r}" + ("" if unexpected or missing else f", in another order: {got!r}")
        )
    return lines(out)


def interrupted(example, *, stderr=()):
    """Ctrl-C an example that reported malformed messages: status 0, stderr
    exactly `stderr`; its stdout lines."""
    example.interrupt()
    return ended(example, stderr=stderr)


def python_publisher():
    """A Python publisher: XPUB, a PUB socket to its subscribers that also hands
    over each subscription, so that the case sees what a Rust subscriber
    subscribed to and publishes only once the subscription is in."""
    xpub = peer(zmq.XPUB)
    return xpub, xpub.bind_to_random_port(LOOPBACK)


def subscription(xpub, prefix, who):
    """The subscriber's subscription must be exactly `prefix`."""
    frame = one_frame(xpub, f"{who}'s subscription")
    expected = b"\x01" + prefix
    check(frame == expected, f"{who} subscribed with {frame!r}, expected {expected!r}")


def rows_when(db, query, ready, who):
    """Read the database a Rust example writes until `ready(rows)`; bounded."""
    deadline = time.monotonic() + TIMEOUT_S
    rows = None
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
                rows = connection.execute(query).fetchall()
            if ready(rows):
                return rows
        except sqlite3.Error:
            pass  # not created yet, or its table not yet there
        time.sleep(0.05)
    raise Failed(f"{who}'s database never got there; it holds {rows!r}")


# ---------------------------------------------------------------- first steps

NUMBER = re.compile(rb"0|[1-9][0-9]?")  # 0 to 99, in decimal, nothing else


@case("first-pubsub", "first-poll")
def randpub_python_subscriber():
    """randpub (Rust) publishes; a Python SUB subscribed to everything takes
    ten messages: each one frame, a number from 0 to 99 in decimal and
    nothing around it. Ctrl-C ends randpub: status 0, its one line."""
    port = free_port()
    publisher = Example("randpub", "--bind", at(port), "--interval-ms", "20", "--seed", "42")
    sub = peer(zmq.SUB, connect=at(port), subscribe=b"")
    for _ in range(10):
        number = one_frame(sub, "randpub")
        check(NUMBER.fullmatch(number), f"randpub sent {number!r}, not a number from 0 to 99")
    out = lines(publisher.stop())
    check(out == ["Publishing a number from 0 to 99 every 20 ms"], f"randpub printed {out!r}")


@case("first-pubsub")
def randsub_python_publisher():
    """A Python publisher feeds randsub (Rust) --count 5. randsub must
    subscribe to the empty prefix, print "Received N" for each number, report
    each malformed message (not a number, over 99, two frames, not UTF-8) in
    one line on stderr and go on, and exit 0 after its fifth number."""
    xpub, port = python_publisher()
    subscriber = Example("randsub", "--connect", at(port), "--count", "5")
    subscription(xpub, b"", "randsub")
    for message in (
        [b"7"], [b"abc"], [b"42"], [b"100"], [b"0"], [b"1", b"2"], [b"99"], [b"\xff"], [b"5"],
        [b"6"],  # one more than --count: never read
    ):
        xpub.send_multipart(message)
    out = ended(subscriber, stderr=[
        skipped("randsub", '"abc" is not a number from 0 to 99'),
        skipped("randsub", "100 is not a number from 0 to 99"),
        skipped("randsub", "2 frames, expected 1"),
        skipped("randsub", 'not UTF-8 text: b"\\xff"'),
    ])
    expected = [f"Received {n}" for n in (7, 42, 0, 99, 5)]
    check(out == expected, f"randsub printed {out!r}, expected {expected!r}")


@case("first-pipeline", "first-poll")
def pusher_python_puller():
    """pusher (Rust) --tasks 4 sends its batch to a Python PULL: "task 1" to
    "task 4", then "END", each one frame, and nothing after; it exits 0 once
    the batch is out, with its two lines."""
    port = free_port()
    pusher = Example("pusher", "--bind", at(port), "--tasks", "4")
    pull = peer(zmq.PULL, connect=at(port))
    batch = [one_frame(pull, "pusher") for _ in range(5)]
    expected = [b"task 1", b"task 2", b"task 3", b"task 4", b"END"]
    check(batch == expected, f"pusher sent {batch!r}, expected {expected!r}")
    out = ended(pusher)
    check(out == ["Waiting for a puller", "Sent 4 tasks and END"], f"pusher printed {out!r}")
    nothing_more(pull, "pusher")


@case("first-pipeline")
def puller_python_pusher():
    """A Python PUSH sends puller (Rust) three tasks, two malformed messages
    and "END": puller prints each task, reports the malformed ones on stderr,
    stops at "END" with its count, and exits 0."""
    push = peer(zmq.PUSH)
    port = push.bind_to_random_port(LOOPBACK)
    puller = Example("puller", "--connect", at(port))
    for message in (
        [b"task 1"], [b"task 2"], [b"banana"], [b"task", b"3"], [b"task 3"], [b"END"],
        [b"task 4"],  # after END: not read
    ):
        push.send_multipart(message)
    out = ended(puller, stderr=[
        skipped("puller", '"banana", expected a task or END'),
        skipped("puller", "2 frames, expected 1"),
    ])
    expected = ["Received task 1", "Received task 2", "Received task 3", "END after 3 tasks"]
    check(out == expected, f"puller printed {out!r}, expected {expected!r}")


@case("first-poll")
def pollboth_python_peers():
    """pollboth (Rust) polls a Python PUSH (for its PULL) and a Python
    publisher (for its SUB, which must subscribe to everything). Nothing comes
    for a second: it says so. Then a batch and three numbers: it prints each
    with its socket, in order within each socket, and exits 0 after --count 6."""
    push = peer(zmq.PUSH)
    push_port = push.bind_to_random_port(LOOPBACK)
    xpub, sub_port = python_publisher()
    poller = Example(
        "pollboth", "--pull", at(push_port), "--sub", at(sub_port),
        "--count", "6", "--timeout-ms", "200",
    )
    subscription(xpub, b"", "pollboth")
    time.sleep(1.0)  # five timeouts' worth of nothing
    for task in (b"task 1", b"task 2", b"END"):
        push.send(task)
    for number in (b"17", b"3", b"64"):
        xpub.send(number)
    out = ended(poller)
    quiet = "Nothing on either socket for 200 ms"
    check(quiet in out, f"pollboth never said that nothing came: {out!r}")
    read = [line for line in out if line != quiet]
    pulled = [line for line in read if line.startswith("From PULL: ")]
    published = [line for line in read if line.startswith("From SUB: ")]
    check(len(read) == 6 and len(pulled) + len(published) == 6, f"pollboth printed {out!r}")
    check(pulled == ["From PULL: task 1", "From PULL: task 2", "From PULL: END"], f"pollboth printed {out!r}")
    check(published == ["From SUB: 17", "From SUB: 3", "From SUB: 64"], f"pollboth printed {out!r}")


TIMESTAMP = re.compile(rb"[0-9]+\.[0-9]{3}")  # seconds, a point, milliseconds


@case("first-reqrep")
def timeserver_python_client():
    """A Python REQ asks timeserver (Rust) the time: each reply is one frame,
    seconds since 1970 with three decimals, between the request and the reply
    by this machine's clock. A wrong word and a two-frame request get an empty
    reply and a line on stderr; the server prints "Sent T" for each time."""
    port = free_port()
    server = Example("timeserver", "--bind", at(port))
    client = peer(zmq.REQ, connect=at(port))
    sent = []
    for request in ([b"time"], [b"date"], [b"time"], [b"time", b"please"], [b"time"]):
        before = time.time()
        client.send_multipart(request)
        reply = one_frame(client, "timeserver")
        after = time.time()
        if request != [b"time"]:
            check(reply == b"", f"timeserver answered {request!r} with {reply!r}, not an empty reply")
            continue
        check(TIMESTAMP.fullmatch(reply), f"timeserver sent {reply!r}, not a time like 1760000000.123")
        check(before - 0.002 <= float(reply) <= after + 0.002,
              f"timeserver sent {reply!r}, not between {before:.3f} and {after:.3f}")
        sent.append(reply.decode())
    out = interrupted(server, stderr=[
        skipped("timeserver", '"date", expected "time"'),
        skipped("timeserver", "2 frames, expected 1"),
    ])
    expected = [f"Sent {now}" for now in sent]
    check(out == expected, f"timeserver printed {out!r}, expected {expected!r}")


@case("first-reqrep")
def timeclient_python_server():
    """timeclient (Rust) --count 4 asks a Python server (a ROUTER, to see the
    whole envelope: [identity, "", "time"]). The good times are printed as
    they came; a time with two decimals and a two-frame reply are reported on
    stderr and skipped; it exits 0."""
    router = peer(zmq.ROUTER)
    port = router.bind_to_random_port(LOOPBACK)
    client = Example("timeclient", "--connect", at(port), "--count", "4", "--interval-ms", "50")
    now = f"{time.time():.3f}"
    later = f"{time.time() + 1:.3f}"
    for reply in ([now.encode()], [b"1760000000.12"], [b"1760000000.500", b"extra"], [later.encode()]):
        request = frames_from(router, "timeclient")
        identity = envelope(request, [b"time"], "timeclient")
        router.send_multipart([identity, b"", *reply])
    out = ended(client, stderr=[
        skipped("timeclient", '"1760000000.12" is not a time in seconds, like "1760000000.123"'),
        skipped("timeclient", "2 frames, expected 1"),
    ])
    expected = [f"The time is {t} (seconds since 1970-01-01 UTC)" for t in (now, later)]
    check(out == expected, f"timeclient printed {out!r}, expected {expected!r}")
    nothing_more(router, "timeclient")


# ---------------------------------------------------------------- poll server

@case("poll-server")
def pollserver_python_clients():
    """pollserver (Rust, ROUTER) serves a Python REQ and a Python DEALER
    (which sees the reply's envelope: ["", "World N"]), three requests each,
    counted per client. A third Python DEALER sends four malformed requests:
    no reply, one line each on stderr. With --stop-after 2 --clients 2 the
    server stops by itself after two quiet polls, exit 0."""
    port = free_port()
    server = Example(
        "pollserver", "--bind", at(port), "--timeout-ms", "500", "--stop-after", "2", "--clients", "2",
    )
    req = peer(zmq.REQ, connect=at(port))
    dealer = peer(zmq.DEALER, connect=at(port))
    bad = peer(zmq.DEALER, connect=at(port))
    for message in ([b"", b"Bye"], [b"Hello"], [b"x", b"Hello"], [b"", b"\xff"]):
        bad.send_multipart(message)
    for n in range(1, 4):
        req.send(b"Hello")
        reply = one_frame(req, "pollserver")
        check(reply == f"World {n}".encode(), f"pollserver answered the REQ client's request {n} with {reply!r}")
        dealer.send_multipart([b"", b"Hello"])
        reply = frames_from(dealer, "pollserver")
        expected = [b"", f"World {n}".encode()]
        check(reply == expected, f"pollserver answered the DEALER client with {reply!r}, expected {expected!r}")
    out = ended(server, stderr=[
        skipped("pollserver", '"Bye", expected "Hello"'),
        skipped("pollserver", '2 frames, expected identity, "", request'),
        skipped("pollserver", "no empty delimiter after the identity"),
        skipped("pollserver", 'not UTF-8 text: b"\\xff"'),
    ])
    out = [line for line in out if line != "No request for 500 ms; polling again"]
    expected = (
        ["Polling for requests, 500 ms at a time"]
        + [f"client {c}, request {n}: Hello" for n in range(1, 4) for c in (1, 2)]
        + ["No request for 500 ms, 2 in a row: stopping"]
    )
    check(out == expected, f"pollserver printed {out!r}, expected {expected!r}")
    nothing_more(bad, "pollserver")


@case("poll-server")
def pollclient_python_server():
    """Two pollclients (Rust, REQ) --requests 3 ask a Python ROUTER server:
    each request is exactly [identity, "", "Hello"], answered "World N", N
    counted per client. The first second reply is sent with an extra frame:
    that client reports it on stderr and skips it. Both exit 0."""
    router = peer(zmq.ROUTER)
    port = router.bind_to_random_port(LOOPBACK)
    clients = [Example("pollclient", "--connect", at(port), "--requests", "3") for _ in range(2)]
    counts = {}
    spoiled = None
    for _ in range(6):
        request = frames_from(router, "pollclient")
        identity = envelope(request, [b"Hello"], "pollclient")
        counts[identity] = counts.get(identity, 0) + 1
        reply = [identity, b"", f"World {counts[identity]}".encode()]
        if counts[identity] == 2 and spoiled is None:
            spoiled = identity
            reply.append(b"extra")
        router.send_multipart(reply)
    check(sorted(counts.values()) == [3, 3], f"the pollclients' requests: {counts!r}")
    whole = [f"Received reply {n} [World {n}]" for n in (1, 2, 3)]
    outputs = []
    for client in clients:
        status, out, err = client.finish()
        check(status == 0, f"pollclient exited {status}: {err}")
        outputs.append((lines(out), lines(err)))
    outputs.sort(key=lambda output: len(output[0]))
    expected = [
        ([whole[0], whole[2]], [skipped("pollclient", "2 frames, expected 1")]),
        (whole, []),
    ]
    check(outputs == expected, f"the pollclients printed {outputs!r}, expected {expected!r}")
    nothing_more(router, "pollclient")


# ------------------------------------------------------------- topic averages

UPDATE = re.compile(rb"(1000[0-2]) (0|-?[1-9][0-9]*)")  # "zipcode temperature"


@case("topic-averages")
def topicpub_python_subscribers():
    """topicpub (Rust) publishes "zipcode temperature". A Python SUB for
    everything parses 60 updates: one frame, zipcode 10000 to 10002, one
    space, a whole temperature from -80 to 134; all three zipcodes come. A
    second SUB for "10001 " gets only 10001's. Ctrl-C: status 0, one line."""
    port = free_port()
    publisher = Example("topicpub", "--bind", at(port), "--interval-ms", "10", "--seed", "42")
    everything = peer(zmq.SUB, connect=at(port), subscribe=b"")
    one = peer(zmq.SUB, connect=at(port), subscribe=b"10001 ")
    zipcodes = set()
    for _ in range(60):
        update = one_frame(everything, "topicpub")
        parsed = UPDATE.fullmatch(update)
        check(parsed, f"topicpub sent {update!r}, not \"zipcode temperature\"")
        check(-80 <= int(parsed[2]) <= 134, f"topicpub sent {update!r}: a temperature out of range")
        zipcodes.add(parsed[1])
    check(zipcodes == {b"10000", b"10001", b"10002"}, f"60 updates covered only zipcodes {zipcodes!r}")
    for _ in range(5):
        update = one_frame(one, "topicpub")
        parsed = UPDATE.fullmatch(update)
        check(parsed and parsed[1] == b"10001", f"the 10001 subscriber got {update!r}")
    out = lines(publisher.stop())
    expected = ["Publishing temperatures for zipcodes 10000 to 10002, one every 10 ms"]
    check(out == expected, f"topicpub printed {out!r}")


@case("topic-averages")
def topicsub_python_publisher():
    """topicsub (Rust) --zipcode 10002 --count 3 must subscribe to exactly
    "10002 " (zipcode and space); a Python publisher sends it updates, other
    zipcodes (10001, and 100020, which only the space keeps out) and
    malformed temperatures. It prints the three good ones, their average to
    one decimal, reports the malformed ones on stderr, and exits 0."""
    xpub, port = python_publisher()
    subscriber = Example("topicsub", "--connect", at(port), "--zipcode", "10002", "--count", "3")
    subscription(xpub, b"10002 ", "topicsub")
    for update in (
        b"10002 50", b"10001 99", b"10002 abc", b"100020 7", b"10002 -7", b"10002 5.5", b"10002 60",
        b"10002 1",  # after --count: never read
    ):
        xpub.send(update)
    out = ended(subscriber, stderr=[
        skipped("topicsub", '"abc" is not a temperature'),
        skipped("topicsub", '"5.5" is not a temperature'),
    ])
    expected = [
        "Collecting 3 temperatures for zipcode 10002",
        "10002: 50F", "10002: -7F", "10002: 60F",
        "Average temperature for zipcode 10002 was 34.3F",
    ]
    check(out == expected, f"topicsub printed {out!r}, expected {expected!r}")


# -------------------------------------------------------------- several ports

@case("several-ports")
def portserver_python_client():
    """Two portservers (Rust) on two ports; a Python REQ connected to both
    sends "Hello 1" to "Hello 4": the replies alternate, each one frame,
    "World from PORT" naming the port that answered. Another Python REQ sends
    the first server a wrong word and a two-frame request: each still gets
    its reply, and a line on stderr. Each server prints the requests it got."""
    ports = [free_port(), free_port()]
    servers = [Example("portserver", "--bind", at(port)) for port in ports]
    client = peer(zmq.REQ)
    for port in ports:
        client.connect(at(port))
    for n in range(1, 5):
        client.send(f"Hello {n}".encode())
        reply = one_frame(client, "portserver")
        expected = f"World from {ports[(n - 1) % 2]}".encode()
        check(reply == expected, f"request {n} got {reply!r}, expected {expected!r}")
    other = peer(zmq.REQ, connect=at(ports[0]))
    for request in ([b"Hi"], [b"Hello 5", b"extra"]):
        other.send_multipart(request)
        reply = one_frame(other, "portserver")
        check(reply == f"World from {ports[0]}".encode(), f"{request!r} got {reply!r}")
    first = interrupted(servers[0], stderr=[
        skipped("portserver", '"Hi", expected "Hello N"'),
        skipped("portserver", "2 frames, expected 1"),
    ])
    second = lines(servers[1].stop())
    for port, out, numbers in ((ports[0], first, (1, 3)), (ports[1], second, (2, 4))):
        expected = [f"Serving on port {port}"] + [f"Received request: Hello {n}" for n in numbers]
        check(out == expected, f"portserver on {port} printed {out!r}, expected {expected!r}")


@case("several-ports")
def portclient_python_servers():
    """portclient (Rust) --requests 4, connected to two Python REP servers:
    requests 1 and 3 reach the first, 2 and 4 the second, each one frame
    "Hello N". A two-frame reply to request 3 is reported on stderr and
    skipped; the others are printed with the port that answered. Exit 0."""
    servers = [peer(zmq.REP) for _ in range(2)]
    ports = [server.bind_to_random_port(LOOPBACK) for server in servers]
    client = Example("portclient", "--connect", at(ports[0]), "--connect", at(ports[1]), "--requests", "4")
    for n in range(1, 5):
        server, port = servers[(n - 1) % 2], ports[(n - 1) % 2]
        request = one_frame(server, "portclient")
        expected = f"Hello {n}".encode()
        check(request == expected, f"the server on {port} got {request!r}, expected {expected!r}")
        reply = [f"World from {port}".encode()]
        if n == 3:
            reply.append(b"extra")
        server.send_multipart(reply)
    out = ended(client, stderr=[skipped("portclient", "2 frames, expected 1")])
    expected = [f"Connecting to {at(port)}" for port in ports]
    for n in range(1, 5):
        expected.append(f"Sending request {n}…")
        if n != 3:
            expected.append(f"Received reply {n} [World from {ports[(n - 1) % 2]}]")
    check(out == expected, f"portclient printed {out!r}, expected {expected!r}")


# ------------------------------------------------------------------ discovery

PI_ESTIMATE = re.compile(rb"[0-9]\.[0-9]{4}")


@case("discovery")
def discovery_computer_python_server_and_saver():
    """discovery_computer (Rust) between a Python command server (XPUB and
    PULL) and a Python saver (PULL). It must subscribe to exactly
    "CONFIGURE ", answer a command once as [name, "NUMBER pause-ms=MS"] even
    when it hears it twice, report a malformed command on stderr, answer the
    next command, and push --count results as [name, sequence, value] with a
    four-decimal estimate of pi, then no more. Ctrl-C: exit 0."""
    commands, commands_port = python_publisher()
    answers = peer(zmq.PULL)
    answers_port = answers.bind_to_random_port(LOOPBACK)
    results = peer(zmq.PULL)
    results_port = results.bind_to_random_port(LOOPBACK)
    computer = Example(
        "discovery_computer", "--commands", at(commands_port), "--answers", at(answers_port),
        "--results", at(results_port), "--name", "rust-1", "--count", "3", "--pause-ms", "200",
        "--points", "10000", "--seed", "42",
    )
    subscription(commands, b"CONFIGURE ", "discovery_computer")
    commands.send(b"CONFIGURE 4242 pause-ms=50")
    answer, expected = frames_from(answers, "discovery_computer"), [b"rust-1", b"4242 pause-ms=50"]
    check(answer == expected, f"discovery_computer answered {answer!r}, expected {expected!r}")
    commands.send(b"CONFIGURE 4242 pause-ms=50")  # heard again: no second answer
    commands.send(b"CONFIGURE 4243 pause=5")
    commands.send(b"CONFIGURE 4244 pause-ms=40")
    answer, expected = frames_from(answers, "discovery_computer"), [b"rust-1", b"4244 pause-ms=40"]
    check(answer == expected, f"discovery_computer answered {answer!r}, expected {expected!r} (command 4242 once only)")
    values = []
    for sequence in range(1, 4):
        result = frames_from(results, "discovery_computer")
        check(len(result) == 3 and result[:2] == [b"rust-1", str(sequence).encode()],
              f"discovery_computer's result {sequence} is {result!r}, expected [name, sequence, value]")
        check(PI_ESTIMATE.fullmatch(result[2]) and abs(float(result[2]) - math.pi) < 0.1,
              f"discovery_computer's result {result!r} is not an estimate of pi to four decimals")
        values.append(result[2].decode())
    nothing_more(results, "discovery_computer (after --count 3)", 500)
    nothing_more(answers, "discovery_computer", 0)
    out = interrupted(computer, stderr=[
        skipped("discovery_computer", '"CONFIGURE 4243 pause=5" is not "CONFIGURE NUMBER pause-ms=MS"'),
    ])
    configured = [line for line in out if " configured: " in line]
    sent = [line for line in out if " sent result " in line]
    check(len(configured) + len(sent) == len(out), f"discovery_computer printed {out!r}")
    check(configured == ["rust-1 configured: pause-ms=50", "rust-1 configured: pause-ms=40"],
          f"discovery_computer printed {out!r}")
    expected = [f"rust-1 sent result {n}: {value}" for n, value in enumerate(values, 1)]
    check(sent == expected, f"discovery_computer printed {sent!r}, expected {expected!r}")


@case("discovery")
def discovery_server_python_computers():
    """discovery_server (Rust) among Python computers (SUB and PUSH): its
    command, repeated, is one frame "CONFIGURE NUMBER pause-ms=123", always
    the same number. Two computers answer [name, "NUMBER pause-ms=123"];
    a third sends malformed answers (another number, one frame, no space),
    reported on stderr. After --quiet-ms without an answer it lists the two
    and exits 0."""
    commands_port, answers_port = free_port(), free_port()
    computers = [
        (name, peer(zmq.SUB, connect=at(commands_port), subscribe=b"CONFIGURE "),
         peer(zmq.PUSH, connect=at(answers_port)))
        for name in (b"py-1", b"py-2")
    ]
    bad = peer(zmq.PUSH, connect=at(answers_port))
    server = Example(
        "discovery_server", "--commands", at(commands_port), "--answers", at(answers_port),
        "--pause-ms", "123", "--quiet-ms", "2000",
    )
    heard = []
    for _, sub, _ in computers:
        for _ in range(2):  # the command and a repeat of it
            command = one_frame(sub, "discovery_server")
            check(re.fullmatch(rb"CONFIGURE [0-9]+ pause-ms=123", command),
                  f"discovery_server sent {command!r}, not \"CONFIGURE NUMBER pause-ms=123\"")
            heard.append(command)
    check(len(set(heard)) == 1, f"discovery_server's repeats differ: {heard!r}")
    number = heard[0].split(b" ")[1]
    for answer in ([b"py-bad", b"%d pause-ms=123" % (int(number) + 1)], [b"py-bad"], [b"py-bad", b"nospace"]):
        bad.send_multipart(answer)
    for name, _, push in computers:
        push.send_multipart([name, number + b" pause-ms=123"])
    out = ended(server, stderr=[
        skipped("discovery_server", f"py-bad answered command {int(number) + 1}, not {int(number)}"),
        skipped("discovery_server", "1 frames, expected 2"),
        skipped("discovery_server", '"nospace" is not "NUMBER SETTING"'),
    ])
    check(len(out) == 4, f"discovery_server printed {out!r}")
    check(out[0] == "Publishing CONFIGURE pause-ms=123 until the answers stop", f"discovery_server printed {out!r}")
    check(sorted(out[1:3]) == ["py-1 answered: pause-ms=123", "py-2 answered: pause-ms=123"],
          f"discovery_server printed {out!r}")
    check(out[3] == "No answer for 2000 ms: 2 computers answered: py-1, py-2", f"discovery_server printed {out!r}")


@case("discovery")
def discovery_saver_python_computers():
    """A Python computer (PUSH) sends discovery_saver (Rust) results,
    [computer, sequence, value]: it stores each once (a repeat is "stored
    already"), reports malformed ones (a sequence that is no number, two or
    four frames, an infinite value) on stderr, and on Ctrl-C says how many
    it stored, exit 0. The database (in a temporary folder) is read back."""
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "results.sqlite")
        port = free_port()
        saver = Example("discovery_saver", "--bind", at(port), "--db", db)
        push = peer(zmq.PUSH, connect=at(port))
        for result in (
            [b"py-1", b"1", b"3.1416"],
            [b"py-2", b"1", b"3.138"],
            [b"py-1", b"2", b"3.14"],
            [b"py-1", b"1", b"3.1416"],
            [b"py-1", b"x", b"3.0"],
            [b"py-1", b"3"],
            [b"py-1", b"3", b"inf"],
            [b"py-1", b"3", b"3.1", b"extra"],
            [b"py-2", b"2", b"3.15"],  # the last: once it is stored, all is read
        ):
            push.send_multipart(result)
        query = "SELECT computer, sequence, value FROM results ORDER BY computer, sequence"
        rows = rows_when(db, query, lambda rows: ("py-2", 2, 3.15) in rows, "discovery_saver")
        out = interrupted(saver, stderr=[
            skipped("discovery_saver", '"x" is not a sequence number'),
            skipped("discovery_saver", "2 frames, expected 3"),
            skipped("discovery_saver", "inf is not a finite number"),
            skipped("discovery_saver", "4 frames, expected 3"),
        ])
        expected = [
            f"Saving results in {db} (0 there already)",
            "stored py-1 #1: 3.1416",
            "stored py-2 #1: 3.1380",
            "stored py-1 #2: 3.1400",
            "py-1 #1 is stored already",
            "stored py-2 #2: 3.1500",
            "Stored 4 new results",
        ]
        check(out == expected, f"discovery_saver printed {out!r}, expected {expected!r}")
        rows = rows_when(db, query, lambda rows: True, "discovery_saver")
        expected = [("py-1", 1, 3.1416), ("py-1", 2, 3.14), ("py-2", 1, 3.138), ("py-2", 2, 3.15)]
        check(rows == expected, f"discovery_saver stored {rows!r}, expected {expected!r}")


# ------------------------------------------------------------- form collector

FIELDS = {"name": str, "email": str, "age": int, "message": str}


def refusal(post, max_bytes=1024):
    """Why the form collector's page says a post is refused, or None."""
    if len(post) > max_bytes:
        return "too large"
    try:
        fields = json.loads(post)
    except ValueError:
        return "not JSON"
    if not isinstance(fields, dict):
        return "not an object"
    if set(fields) - set(FIELDS):
        return "unknown field " + ", ".join(sorted(set(fields) - set(FIELDS)))
    if set(FIELDS) - set(fields):
        return "missing field " + ", ".join(sorted(set(FIELDS) - set(fields)))
    for field, kind in FIELDS.items():
        if type(fields[field]) is not kind:
            return f"{field} is not {kind.__name__}"
    if not 0 <= fields["age"] <= 255:
        return "age out of range"
    if "@" not in fields["email"]:
        return "no @ in email"
    return None


# The posts form_sender --malformed sends, each with the line the form
# collector's page shows for it.
GOOD = '"name":"Ada Quill","email":"ada@example.org","age":36,"message":"Hi"'
MALFORMED_POSTS = [
    ('{"name":"Ada Quill","email":',
     "not a form post: EOF while parsing a value at line 1 column 28"),
    ('{' + GOOD + ',"phone":"555-0100"}',
     "not a form post: unknown field `phone`, expected one of `name`, `email`, `age`, `message` at line 1 column 77"),
    ('{"name":"Ada Quill","email":"ada@example.org","age":"36","message":"Hi"}',
     'not a form post: invalid type: string "36", expected u8 at line 1 column 56'),
    ('{"name":"Ada Quill","email":"ada@example.org","message":"Hi"}',
     "not a form post: missing field `age` at line 1 column 61"),
    ('{"name":"Ada Quill","email":"ada.example.org","age":36,"message":"Hi"}',
     'not a form post: "ada.example.org" is not an email address'),
    ('{"name":"Ada Quill","email":"ada@example.org","age":36,"message":"' + "spam " * 500 + '"}',
     "a post of 2568 bytes, over the limit of 1024"),
]


@case("form-collector")
def form_collector_python_senders():
    """Two Python senders (PUSH) post JSON forms to form_collector (Rust):
    the good ones (non-ASCII escapes, another key order, ages 255 and 0, an
    empty message) are stored and printed; the malformed ones (form_sender
    --malformed's six, plus age 256, a field name with a newline, two frames)
    are each reported in one line on stderr, exactly as the page shows, and
    not stored. Ctrl-C: exit 0, the count. The database (in a temporary
    folder) is read back."""
    good = [
        {"name": "Zoë Python", "email": "zoe@example.org", "age": 30, "message": "Hello from pyzmq ✓"},
        {"message": "Keys in another order", "age": 255, "email": "max@example.com", "name": "Max Py"},
        {"name": "Last One", "email": "last@example.net", "age": 18, "message": "the end"},
        {"name": "Also Last", "email": "also@example.net", "age": 0, "message": ""},
    ]
    malformed = MALFORMED_POSTS + [
        ('{"name":"A","email":"a@b","age":256,"message":"Hi"}',
         "not a form post: invalid value: integer `256`, expected u8 at line 1 column 35"),
        ('{"na\\nme":"A"}',  # a newline in the field's name: the report stays one line
         "not a form post: unknown field `na\\nme`, expected one of `name`, `email`, `age`, `message`"
         " at line 1 column 9"),
    ]
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "forms.sqlite")
        port = free_port()
        collector = Example("form_collector", "--bind", at(port), "--db", db)
        first = peer(zmq.PUSH, connect=at(port))
        second = peer(zmq.PUSH, connect=at(port))
        first.send(json.dumps(good[0]).encode())  # ensure_ascii: "Zo\u00eb"
        second.send(json.dumps(good[1], indent=2).encode())
        for post, _ in malformed:
            check(refusal(post.encode()) is not None, f"the case's own post is not malformed: {post[:80]}")
            second.send(post.encode())
        second.send_multipart([json.dumps(good[0]).encode(), b"{}"])
        # Each sender's last post: once both are stored, all is read.
        second.send(json.dumps(good[2]).encode())
        first.send(json.dumps(good[3]).encode())
        query = "SELECT name, email, age, message, received FROM posts ORDER BY id"
        last = {(post["name"], post["email"]) for post in good[2:]}
        rows_when(db, query, lambda rows: last <= {row[:2] for row in rows}, "form_collector")
        out = interrupted(collector, stderr=(
            [skipped("form_collector", why) for _, why in malformed]
            + [skipped("form_collector", "2 frames, expected 1")]
        ))
        stored = [f"stored a post from {post['name']} <{post['email']}>" for post in good]
        check(len(out) == 6 and out[0] == f"Collecting posts in {db} (0 there already)",
              f"form_collector printed {out!r}")
        check(sorted(out[1:5]) == sorted(stored), f"form_collector printed {out!r}, expected {stored!r}")
        for before, after in ((stored[0], stored[3]), (stored[1], stored[2])):  # each sender's order
            check(out.index(before) < out.index(after), f"form_collector mixed one sender's order: {out!r}")
        check(out[5] == "Stored 4 posts", f"form_collector printed {out!r}")
        rows = rows_when(db, query, lambda rows: True, "form_collector")
        fields = sorted(row[:4] for row in rows)
        expected = sorted((post["name"], post["email"], post["age"], post["message"]) for post in good)
        check(fields == expected, f"form_collector stored {fields!r}, expected {expected!r}")
        for row in rows:
            check(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", row[4]),
                  f"form_collector's received time is {row[4]!r}")


@case("form-collector")
def form_sender_python_collector():
    """form_sender (Rust) posts to a Python collector (PULL): --posts 3 gives
    three one-frame JSON posts with exactly the form's fields, of the form's
    types, an age of 18 to 90 and an email with an @, each printed as sent.
    --malformed gives six posts, each refused for the reason the page gives,
    the long one printed cut short with its size. Both exit 0."""
    pull = peer(zmq.PULL)
    port = pull.bind_to_random_port(LOOPBACK)
    sender = Example("form_sender", "--connect", at(port), "--posts", "3", "--pause-ms", "10", "--seed", "1")
    posts = [one_frame(pull, "form_sender") for _ in range(3)]
    for post in posts:
        why = refusal(post)
        check(why is None, f"form_sender posted {post!r}: {why}")
        check(18 <= json.loads(post)["age"] <= 90, f"form_sender posted {post!r}: an age out of its range")
    out = ended(sender)
    expected = [f"posted {post.decode()}" for post in posts]
    check(out == expected, f"form_sender printed {out!r}, expected {expected!r}")
    nothing_more(pull, "form_sender")

    sender = Example("form_sender", "--connect", at(port), "--malformed", "--pause-ms", "10")
    posts = [one_frame(pull, "form_sender --malformed") for _ in range(6)]
    reasons = [refusal(post) for post in posts]
    expected = ["not JSON", "unknown field phone", "age is not int", "missing field age", "no @ in email", "too large"]
    check(reasons == expected, f"form_sender --malformed's posts are refused as {reasons!r}, expected {expected!r}")
    out = ended(sender)
    expected = [f"posted {post.decode()}" for post in posts[:5]]
    expected.append(f"posted {posts[5][:120].decode()}… ({len(posts[5])} bytes)")
    check(out == expected, f"form_sender --malformed printed {out!r}, expected {expected!r}")
    nothing_more(pull, "form_sender --malformed")


# ---------------------------------------------------------------- event loop

TICKED = re.compile(r"Received World ([0-9]+) \(the ticker ticked ([0-9]+) times meanwhile\)")


def ticks(line, n, who):
    """The ticker's count in the line for reply `n`."""
    parsed = TICKED.fullmatch(line)
    check(parsed and int(parsed[1]) == n, f"{who} printed {line!r}, expected \"Received World {n} (…)\"")
    return int(parsed[2])


@case("async-thread")
def asyncthread_python_server():
    """asyncthread (Rust, REQ on a companion thread) asks a Python server (a
    ROUTER, to see the envelope) that works 0.4 s per request: each request is
    exactly [identity, "", "Hello"], one at a time. A reply "Earth" is
    reported on stderr; each "World" is printed with the ticks counted
    meanwhile, at least one. With --blocking the ticker counts none. Exit 0."""
    router = peer(zmq.ROUTER)
    port = router.bind_to_random_port(LOOPBACK)

    def serve(replies):
        for reply in replies:
            request = frames_from(router, "asyncthread")
            identity = envelope(request, [b"Hello"], "asyncthread")
            time.sleep(0.4)  # the server's work
            check(not router.poll(0), "asyncthread sent a request before the reply to the last")
            router.send_multipart([identity, b"", reply])

    client = Example("asyncthread", "--connect", at(port), "--requests", "3")
    serve([b"World", b"Earth", b"World"])
    out = ended(client, stderr=[skipped("asyncthread", '"Earth", expected "World"')])
    check(len(out) == 5 and out[0] == "Sending Hello 1…" and out[2:4] == ["Sending Hello 2…", "Sending Hello 3…"],
          f"asyncthread printed {out!r}")
    for line, n in ((out[1], 1), (out[4], 3)):
        check(ticks(line, n, "asyncthread") >= 1, f"the ticker stood still while asyncthread waited: {line!r}")

    client = Example("asyncthread", "--connect", at(port), "--requests", "1", "--blocking")
    serve([b"World"])
    out = ended(client)
    check(len(out) == 2 and out[0] == "Sending Hello 1…", f"asyncthread --blocking printed {out!r}")
    check(ticks(out[1], 1, "asyncthread --blocking") == 0, f"the ticker ticked through a blocking wait: {out[1]!r}")
    nothing_more(router, "asyncthread")


@case("async-fd")
def asyncfd_python_server():
    """asyncfd (Rust, DEALER driven by ZMQ_FD) sends its three requests to a
    Python server (a ROUTER, to see the envelope) all at once, each exactly
    [identity, "", "Hello"], before any reply. The replies come 0.4 s apart;
    the second has no empty delimiter and is reported on stderr; the others
    are printed with the ticks counted meanwhile, at least one. Exit 0."""
    router = peer(zmq.ROUTER)
    port = router.bind_to_random_port(LOOPBACK)
    client = Example("asyncfd", "--connect", at(port), "--requests", "3")
    requests = [frames_from(router, "asyncfd") for _ in range(3)]  # no reply yet
    identities = {envelope(request, [b"Hello"], "asyncfd") for request in requests}
    check(len(identities) == 1, "asyncfd's requests came over several connections")
    identity = identities.pop()
    for reply in ([b"", b"World"], [b"World"], [b"", b"World"]):
        time.sleep(0.4)  # the server's work
        router.send_multipart([identity, *reply])
    out = ended(client, stderr=[skipped("asyncfd", "no empty delimiter frame")])
    check(len(out) == 3 and out[0] == "Sent 3 requests", f"asyncfd printed {out!r}")
    for line, n in ((out[1], 1), (out[2], 3)):
        check(ticks(line, n, "asyncfd") >= 1, f"the ticker stood still while asyncfd waited: {line!r}")
    nothing_more(router, "asyncfd")
