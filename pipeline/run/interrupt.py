"""Ctrl-C as a request to stop cleanly: finish the model batch in hand, save it, report, exit 130.

A signal reaches the whole process, so the stop request is process-wide too: the translator
and the summarizer call ``checkpoint()`` between model batches without being handed a flag.
A second Ctrl-C stops at once (KeyboardInterrupt), for a user who will not wait.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pipeline.errors import Interrupted

_stop = threading.Event()


def request_stop() -> None:
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def checkpoint() -> None:
    """Raise Interrupted once a stop was requested; call it where work can end without loss."""
    if _stop.is_set():
        raise Interrupted()


@contextmanager
def stop_on_sigint(on_first: Callable[[], None] = lambda: None) -> Iterator[None]:
    """While inside, the first SIGINT requests a stop (and calls ``on_first``); the second interrupts.

    After a SIGINT the handler stays installed: the process is on its way out, and one more Ctrl-C
    during shutdown must end it with 130, not with a KeyboardInterrupt traceback from an exit hook.
    """
    _stop.clear()
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    state = {"pressed": False, "inside": True}

    def handle(signum: int, frame: object) -> None:
        if not state["inside"]:
            os._exit(Interrupted.exit_code)
        if state["pressed"]:
            raise KeyboardInterrupt
        state["pressed"] = True
        _stop.set()
        on_first()

    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield
    finally:
        state["inside"] = False
        if not state["pressed"]:
            signal.signal(signal.SIGINT, previous)
        _stop.clear()
