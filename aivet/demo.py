"""Demo content: three fictional vendors' documents from data/demo, loaded into an empty workspace."""

from __future__ import annotations

from aivet.settings import REPO_ROOT
from workflows import Workspace, create_vendor, ingest_file, list_vendors

DEMO_DIR = REPO_ROOT / "data" / "demo"
DEMO_VENDORS = {
    "lumora-ai": "Lumora AI GmbH",
    "quillstack": "Quillstack Inc.",
    "norvik-analytics": "Norvik Analytics Oy",
}
DEMO_ACTOR = "demo-loader"


def load_demo(workspace: Workspace) -> int:
    """Load the demo vendors if the workspace has no vendor yet; return how many files were taken in."""
    if list_vendors(workspace):
        return 0
    count = 0
    for folder, name in DEMO_VENDORS.items():
        vendor = create_vendor(workspace, name, DEMO_ACTOR)
        for path in sorted((DEMO_DIR / folder).iterdir()):
            ingest_file(workspace, vendor.id, path.name, path.read_bytes(), DEMO_ACTOR)
            count += 1
    return count
