#!/usr/bin/env python3
"""Peers in another language: Python (pyzmq) programs that speak the guide's
wire formats, plugged in front of and behind the workbook's Rust examples.
Each case replaces at least one process of a lesson with a Python peer and
checks what the Rust side did. A Rust example that strays from the guide's
format (another separator, a missing frame) fails here, whatever the
workbook's own tests say.

Every lesson whose processes talk over tcp:// or ipc:// has a case; the rest
are in NO_PEER, each with the reason. A lesson in neither fails the run.

Run it: cargo make interop [CASE...]   (makes the virtual environment, builds the examples)
"""

import os
import subprocess
import sys
import time
import traceback

import zmq

import harness
from harness import CASES, Example, Failed

# Each module registers its cases.
import chapter1  # noqa: F401,E402
import chapter2  # noqa: F401,E402
import chapter3  # noqa: F401,E402
import performance  # noqa: F401,E402
import case_studies  # noqa: F401,E402

# Lessons no Python peer can stand in for: nothing of theirs crosses a
# process boundary.
NO_PEER = {
    "version": "prints libzmq's version; no socket at all",
    "messages": "one process building messages; no peer",
    "mtrelay": "threads of one process over inproc://",
    "identity": "one process: its ROUTER and two REQ sockets over inproc://",
    "inproc-throughput": "threads of one process over inproc://",
    "inproc-latency": "threads of one process over inproc://",
}


def lessons():
    """The catalogue's lessons, from the workbook runner's list."""
    listing = subprocess.run(
        [os.path.join(harness.BIN, "..", "workbook"), "list"],
        capture_output=True, text=True, check=True,
    ).stdout
    return [
        line.split()[0]
        for line in listing.splitlines()
        if line.startswith("  ") and line.split()
    ]


def uncovered():
    """Lessons with neither a case nor a reason in NO_PEER."""
    covered = {lesson for function in CASES for lesson in function.lessons}
    unknown = (covered | set(NO_PEER)) - set(lessons())
    if unknown:
        raise Failed(f"cases or NO_PEER name lessons the catalogue does not have: {sorted(unknown)}")
    return [lesson for lesson in lessons() if lesson not in covered and lesson not in NO_PEER]


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
    covered = len({lesson for function in chosen for lesson in function.lessons})
    print(
        f"interop: {len(chosen) - failures} of {len(chosen)} cases passed, covering {covered} lessons "
        f"(pyzmq {zmq.__version__}, libzmq {zmq.zmq_version()})"
    )
    missing = [] if names else uncovered()
    if missing:
        print(f"interop: FAILED: no Python peer for {missing}: add a case, or say in NO_PEER why none can be")
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
