"""Run a reader in a child process that is killed at the time limit and capped in memory.

Children are forked from a forkserver that has already imported the readers (and,
as multiprocessing requires, the main module), so a read costs a fork, not a
Python start-up, and never inherits the app's threads.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
import warnings
from dataclasses import dataclass

from aivet.settings import ReadLimits
from documents.model import Reason, UnreadableDocument

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["__main__", "documents.readers"])


@dataclass(frozen=True)
class SandboxResult:
    kind: str
    parts: list[tuple[str, str, bool]]
    warnings: list[str]
    seconds: float
    peak_memory_mib: float


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(connection, data: bytes, filename: str, limits: ReadLimits) -> None:
    # The cap is what reading may add to the already-loaded interpreter and libraries.
    cap = _address_space_bytes() + limits.max_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    # Library warnings can quote raw document bytes; the reason code is what we keep.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    started = time.perf_counter()
    try:
        from documents.detect import detect_kind
        from documents.readers import READERS

        kind = detect_kind(data, filename, limits)
        parts, notes = READERS[kind](data, limits)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        message = ("read", kind, parts, notes, time.perf_counter() - started, peak)
    except UnreadableDocument as rejected:
        message = ("rejected", rejected.reason.value, rejected.problem)
    except MemoryError:
        message = ("rejected", Reason.MEMORY_LIMIT.value, "")
    except RecursionError:
        message = ("rejected", Reason.CORRUPT.value, "The file's structure nests too deeply to be read.")
    except Exception as error:  # noqa: BLE001 - a hostile file may raise anything; the type is enough
        message = ("rejected", Reason.CORRUPT.value, f"The reader failed with {type(error).__name__}.")
    try:
        connection.send(message)
    except MemoryError:
        connection.send(("rejected", Reason.MEMORY_LIMIT.value, ""))
    connection.close()


def read_in_sandbox(data: bytes, filename: str, limits: ReadLimits) -> SandboxResult:
    """Detect and read `data` in a child; raise UnreadableDocument on any failure or overrun."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, data, filename, limits), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout_seconds):
            raise UnreadableDocument(Reason.TIMEOUT, f"Reading stopped after {limits.timeout_seconds:g} seconds.")
        try:
            message = receiver.recv()
        except (EOFError, OSError):
            raise UnreadableDocument(Reason.READER_CRASHED, "The reading process ended without an answer.")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if message[0] == "rejected":
        _, reason, problem = message
        if reason == Reason.MEMORY_LIMIT:
            problem = f"Reading needed more than {limits.max_memory_bytes // 2**20} MiB."
        raise UnreadableDocument(Reason(reason), problem)
    _, kind, parts, notes, seconds, peak = message
    return SandboxResult(kind, parts, notes, seconds, peak)
