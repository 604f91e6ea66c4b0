"""Several Rasa workers on one port, each with a listening socket of its own (Linux).

Sanic 21.12 (Rasa 3.6.21's) starts SANIC_WORKERS processes that all accept connections on one
listening socket made by the main process. An idle worker takes every pending connection at
once, and a kept-alive connection stays with the worker that accepted it: measured here with
twenty users, every connection went to one worker while the other stayed idle, so a second
worker added nothing (docs/benchmarks.md). Sanic 21.12 also ignores its KEEP_ALIVE setting, so
connections cannot be made to rotate instead.

So each worker, before it starts serving, opens a socket of its own on the same address in a
SO_REUSEPORT group and puts it in place of the shared one (same file descriptor, so Sanic
serves it unchanged), then stops the shared socket from listening (shutdown, for every process
that holds it): the kernel then spreads new connections over the workers by their addresses.
The lock store calls this as each worker builds it (stores/lock_store.py), once per process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import sys
from typing import List, Optional, Tuple

logger = logging.getLogger(__name__)

_done_in: Optional[int] = None  # the pid that already has its own socket


def _server_sockets() -> List[int]:
    """File descriptors of this process that are TCP server sockets: bound to a port and not
    connected to a peer. The shared socket may have stopped listening already (another worker
    got here first), so listening is not required."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            probe = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue  # not a socket (or already closed)
        with probe:
            if (
                probe.family not in (socket.AF_INET, socket.AF_INET6)
                or probe.type != socket.SOCK_STREAM
            ):
                continue
            try:
                probe.getpeername()
                continue  # a connection (Redis, the database, the action server...)
            except OSError:
                pass
            if probe.getsockname()[1]:
                found.append(fd)
    return found


def own_listening_socket(backlog: int = 100) -> Optional[Tuple[str, int]]:
    """In a worker process: replace the listening socket shared with the other workers by one of
    its own in a SO_REUSEPORT group; return the address, or None when nothing was changed (not
    Linux, not a worker process, already done, or not exactly one listening socket to replace)."""
    global _done_in
    if (
        sys.platform != "linux"
        or multiprocessing.parent_process() is None
        or _done_in == os.getpid()
    ):
        return None
    fds = _server_sockets()
    if len(fds) != 1:
        logger.warning(
            "Workers share one listening socket: expected 1 server socket in this worker, "
            "found %d; connections may go to one worker only.",
            len(fds),
        )
        return None
    fd = fds[0]
    shared = socket.socket(fileno=os.dup(fd))
    with shared:
        address = shared.getsockname()
        # Both ends of a SO_REUSEPORT pair need the option, the shared socket included, for
        # the bind below to be allowed; it leaves the group again at shutdown.
        shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        own = socket.socket(shared.family, socket.SOCK_STREAM)
        with own:
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if shared.family == socket.AF_INET6:
                own.setsockopt(
                    socket.IPPROTO_IPV6,
                    socket.IPV6_V6ONLY,
                    shared.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY),
                )
            own.bind(address)
            own.listen(backlog)
            os.dup2(own.fileno(), fd, inheritable=False)  # Sanic's socket object now serves ours
        # The shared socket stops listening for every process holding it (the main process
        # never accepts on it); the first worker to get here does it, for the others it is done
        # already.
        with contextlib.suppress(OSError):
            shared.shutdown(socket.SHUT_RD)
    _done_in = os.getpid()
    logger.info(
        "Worker %d listens on %s:%d with a socket of its own (SO_REUSEPORT)",
        os.getpid(),
        *address[:2],
    )
    return address[0], address[1]
