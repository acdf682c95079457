"""Original files, stored once by sha256 under generated names, outside anything served."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

PARTIAL_PREFIX = ".partial-"  # a file being written; renamed to its sha256 when complete
PARTIAL_GRACE_SECONDS = 3600  # another process may be writing one right now


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def remove_partial(self) -> int:
        """Delete what an interrupted write left behind (a killed upload); returns how many files went."""
        cutoff = time.time() - PARTIAL_GRACE_SECONDS
        stale = [path for path in self.root.glob(f"*/{PARTIAL_PREFIX}*") if path.stat().st_mtime < cutoff]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(ch in "0123456789abcdef" for ch in sha256):
            raise ValueError(f"{sha256!r} is not a sha256 hex digest.")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store `data` (atomically; a second copy of the same bytes is not written) and return its sha256
        (`sha256` when the caller hashed the bytes already)."""
        sha256 = sha256 or hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=PARTIAL_PREFIX, delete=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()
