"""Run a reader in a child process that is killed at the time limit and capped in memory.

Each file gets a fresh child, forked from a forkserver that has already imported the
readers (and, as multiprocessing requires, the main module), so a read costs a fork, not
a Python start-up, and never inherits the app's threads. One spare child is kept started
and waiting, so its start-up overlaps the previous read instead of adding to it.
"""

from __future__ import annotations

import ctypes
import logging
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aivet.settings import ReadLimits
from documents.model import Document, FormData, PagePart, Reason, UnreadableDocument

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_CONTEXT = multiprocessing.get_context("forkserver")
_PRELOAD = ["__main__", "documents.preload"]
_CONTEXT.set_forkserver_preload(_PRELOAD)


@dataclass(frozen=True)
class SandboxResult:
    kind: str
    parts: list[PagePart]
    warnings: list[str]
    seconds: float
    peak_memory_mib: float
    form: FormData | None = None
    outcome: Any = None  # what `then` made of the Document, inside the same limits


def preload(*modules: str) -> None:
    """Modules every child should find imported (the work a caller hands the sandbox): effective when called
    before the first read, as the doors do by importing their workflows."""
    wanted = list(dict.fromkeys([*_PRELOAD, *modules]))
    _PRELOAD[:] = wanted
    _CONTEXT.set_forkserver_preload(wanted)


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _read(data: bytes, filename: str, sha256: str, limits: ReadLimits, then: Callable[[Document], Any] | None):
    """Inside the child: detect and read the file, check its amount of text, and hand the Document to `then`."""
    from documents.detect import detect_kind
    from documents.readers import READERS

    kind = detect_kind(data, filename, limits)
    parts, notes, form = READERS[kind](data, limits)
    characters = sum(len(part[1]) for part in parts)
    if characters > limits.max_text_chars:
        raise UnreadableDocument(
            Reason.TOO_MUCH_TEXT,
            f"The file holds {characters:,} characters of text, more than {limits.max_text_chars:,}.",
        )
    outcome = None
    if then is not None:
        try:
            outcome = then(Document.from_pages(sha256, kind, filename, parts, notes, form))
        except (MemoryError, RecursionError):
            raise
        except Exception as error:  # a fault in the work, not in the file: the reading stands
            notes = [*notes, f"The answers could not be extracted ({type(error).__name__}); the text was read."]
    return kind, parts, notes, form, outcome


def _child(requests, results) -> None:
    """Wait for one piece of work, do it under the memory and CPU caps, answer, exit."""
    try:
        function, arguments, limits = requests.recv()
    except (EOFError, OSError):  # the app went away before giving this spare any work
        return
    # The cap is what the work may add to the already-loaded interpreter and libraries; CPU time is capped
    # too, and the child dies with the forkserver that started it (itself gone when the app goes).
    cap = _address_space_bytes() + limits.max_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = math.ceil(limits.timeout_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    _die_with_parent()
    # Library warnings can quote raw document bytes; the reason code is what we keep.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    started = time.perf_counter()
    try:
        value = function(*arguments)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        message = ("done", value, time.perf_counter() - started, peak)
    except UnreadableDocument as rejected:
        message = ("rejected", rejected.reason.value, rejected.problem)
    except MemoryError:
        message = ("rejected", Reason.MEMORY_LIMIT.value, "")
    except RecursionError:
        message = ("rejected", Reason.CORRUPT.value, "The file's structure nests too deeply to be read.")
    except Exception as error:
        message = ("rejected", Reason.CORRUPT.value, f"The reader failed with {type(error).__name__}.")
    try:
        results.send(message)
    except MemoryError:
        results.send(("rejected", Reason.MEMORY_LIMIT.value, ""))
    results.close()


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies, so no reader outlives the app."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the time limit and the closed pipes still end the child
        pass
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


@dataclass
class _Reader:
    process: multiprocessing.process.BaseProcess
    requests: multiprocessing.connection.Connection
    results: multiprocessing.connection.Connection

    @classmethod
    def start(cls) -> _Reader:
        request_end, request_sender = _CONTEXT.Pipe(duplex=False)
        result_receiver, result_end = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(target=_child, args=(request_end, result_end), daemon=True)
        process.start()
        request_end.close()
        result_end.close()
        return cls(process, request_sender, result_receiver)

    def close(self) -> None:
        self.requests.close()
        self.results.close()
        if self.process.is_alive():
            self.process.kill()


_spare: _Reader | None = None
_spare_lock = threading.Lock()


def _take_reader() -> _Reader:
    global _spare
    with _spare_lock:
        reader, _spare = _spare, None
    if reader is None or not reader.process.is_alive():
        if reader is not None:
            reader.close()
        reader = _Reader.start()
    return reader


def _keep_a_spare() -> None:
    global _spare
    with _spare_lock:
        if _spare is None:
            _spare = _Reader.start()


def run_in_sandbox(function: Callable[..., Any], arguments: tuple, limits: ReadLimits) -> tuple[Any, float, float]:
    """Run `function(*arguments)` in a fresh child under the limits: (its value, seconds, peak MiB); raise
    UnreadableDocument on any failure or overrun. The function and its arguments must pickle."""
    reader = _take_reader()
    try:
        reader.requests.send((function, arguments, limits))
        _keep_a_spare()
        if not reader.results.poll(limits.timeout_seconds):
            raise UnreadableDocument(Reason.TIMEOUT, f"Reading stopped after {limits.timeout_seconds:g} seconds.")
        try:
            message = reader.results.recv()
        except (EOFError, OSError):
            raise UnreadableDocument(Reason.READER_CRASHED, "The reading process ended without an answer.") from None
    except (BrokenPipeError, ConnectionError):
        raise UnreadableDocument(Reason.READER_CRASHED, "The reading process could not be reached.") from None
    finally:
        reader.close()
    if message[0] == "rejected":
        _, reason, problem = message
        if reason == Reason.MEMORY_LIMIT:
            problem = f"Reading needed more than {limits.max_memory_bytes // 2**20} MiB."
        raise UnreadableDocument(Reason(reason), problem)
    _, value, seconds, peak = message
    return value, seconds, peak


def read_in_sandbox(
    data: bytes, filename: str, sha256: str, limits: ReadLimits, then: Callable[[Document], Any] | None = None
) -> SandboxResult:
    """Detect and read `data` in a fresh child, and hand the Document to `then` there, under the same limits."""
    (kind, parts, notes, form, outcome), seconds, peak = run_in_sandbox(
        _read, (data, filename, sha256, limits, then), limits
    )
    return SandboxResult(kind, parts, notes, seconds, peak, form, outcome)
