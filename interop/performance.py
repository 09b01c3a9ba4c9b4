"""Interop cases for performance: see run.py."""

import zmq

from harness import Example, check, free_port, peer, case, TIMEOUT_S  # noqa: F401
