"""Imported once by the reader forkserver: load every reader, then freeze the heap.

Frozen objects are skipped by the garbage collector, so forked readers do not
touch (and copy) the pages of everything the server has loaded.
"""

import gc

import documents.detect
import documents.readers  # noqa: F401

gc.freeze()
