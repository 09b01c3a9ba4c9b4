#!/usr/bin/env python3
"""What every interop case uses: the Rust examples as processes, pyzmq peers
with bounded waits, and the registry of cases with the lessons they cover."""

import os
import re
import signal
import socket
import subprocess

import zmq

BIN = os.environ.get("BIN_DIR", "target/debug/examples")
TIMEOUT_S = 30  # Every wait is bounded; a hang fails the case.

CASES = []


def case(*lessons):
    """Register a case; `lessons` are the catalogue's lessons it stands in for."""

    def register(function):
        function.lessons = lessons
        CASES.append(function)
        return function

    return register


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


def expect(socket, what, *examples):
    """The next message on `socket`, or Failed saying what did not come.
    The Rust examples named are stopped, and what they said on stderr is
    shown (it often says why)."""
    try:
        return socket.recv_multipart()
    except zmq.Again:
        said = []
        for example in examples:
            example.interrupt()
            status, _, err = example.finish()
            said.append(f"{example.name} exited {status}, saying: {err.strip()!r}")
        raise Failed(f"no {what} within {socket.rcvtimeo / 1000:g} s; " + "; ".join(said))


WEATHER_UPDATE = re.compile(rb"(\d{5}) (-?\d+) (-?\d+)")


def weather_update(update):
    """The guide's weather update, "%05d %d %d": zipcode, temperature and
    relative humidity as numbers, or Failed saying what came instead."""
    match = WEATHER_UPDATE.fullmatch(update)
    check(match is not None, f"the update {update!r} is not the guide's \"%05d %d %d\"")
    zipcode, temperature, humidity = match.groups()
    return zipcode, int(temperature), int(humidity)
