"""What every benchmark shares: where the shared corpus is, alternating rounds, medians,
peak memory, the bare-pypdf baseline (run in its own process) and writing results.

Benchmarks print numbers and write JSON to benchmarks/results/ (ignored by git); they assert
nothing. Import this module from a benchmark script (`from common import ...`: the script's
folder is on sys.path when it is run as `python benchmarks/<name>.py`).

    python benchmarks/common.py --bare FILE...   # the baseline on its own, printed as JSON
"""

from __future__ import annotations

import importlib
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RESULTS = REPO / "benchmarks" / "results"
# The extraction engine the benchmarks measure; --engine module:function points them at another.
ENGINE = "workflows:extract_paths"

# Measure this checkout: its packages import even if they appeared after `pip install -e .`.
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))


def shared_path(*parts: str) -> Path:
    """A path inside the project's shared folder (../shared next to the repository)."""
    return SHARED.joinpath(*parts)


def require(path: Path, what: str, *, default: bool = True) -> None:
    """Stop when `path` is missing: quietly (exit 0) for the default shared corpus, which some
    machines do not have; with an error for a path the user gave explicitly."""
    if path.exists():
        return
    if default:
        print(f"Skipped: {what} is not here ({path}); this benchmark needs the shared corpus next to the repository.")
        sys.exit(0)
    sys.exit(f"{path} is not here; pass an existing {what}.")


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    Linux's VmHWM first: ru_maxrss survives execve, so a child started from a big parent
    would report the parent's size instead of its own. ru_maxrss (KiB on Linux) elsewhere.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def alternating_rounds(rounds: int, sides: dict[str, Callable[[], dict]]) -> dict[str, list[dict]]:
    """Run every side once per round, in turn, so drift (thermal, cache, noise) hits all alike."""
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, side in sides.items():
            runs[name].append(side())
    return runs


def median(runs: Iterable[dict], field: str = "seconds") -> float:
    return statistics.median(run[field] for run in runs)


def largest(runs: Iterable[dict], field: str) -> float:
    return max(run[field] for run in runs)


def bare_pypdf(paths: list[Path]) -> dict:
    """Text extraction with pypdf alone (PdfReader + extract_text on every page): the baseline."""
    import pypdf

    started = time.perf_counter()
    pages = chars = 0
    for path in paths:
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        for page in reader.pages:
            chars += len(page.extract_text() or "")
            pages += 1
    return {"seconds": time.perf_counter() - started, "pages": pages, "chars": chars, "peak_mib": peak_rss_mib()}


def run_json_child(script: Path, *args: str) -> dict:
    """Run `python script args...` in a fresh process (so its peak memory is its own); parse its stdout as JSON."""
    output = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)
    if output.returncode != 0:
        raise RuntimeError(
            f"{script.name} {' '.join(args[:1])} failed with exit code {output.returncode}:\n{output.stderr}"
        )
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_bare_in_child(paths: list[Path]) -> dict:
    """The baseline in its own process: its time and its peak memory are pypdf's alone."""
    return run_json_child(Path(__file__), "--bare", *map(str, paths))


def load_engine(spec: str = ENGINE) -> Callable:
    """`module:function`, imported; stop with a clear message when it is not there (yet)."""
    module_name, _, function = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function or "extract_paths")
    except (ImportError, AttributeError) as error:
        sys.exit(f"The extraction engine is not available ({spec}: {type(error).__name__}: {error}).")


def write_result(name: str, result: dict, *, show: bool = True) -> Path:
    """Print `result` as JSON (unless show=False) and keep it in benchmarks/results/<name>.json."""
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str)
    if show:
        print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        print(json.dumps(bare_pypdf([Path(p) for p in sys.argv[2:]])))
    else:
        sys.exit(__doc__)
