"""Demo content: three fictional vendors' documents from data/demo and the questionnaires they returned through
their vendor links (data/demo/returned), loaded into an empty workspace, and one demo account per role, whose
passwords are made on this machine and kept in data/demo-accounts.txt."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from aivet.access import Actor
from aivet.settings import REPO_ROOT
from scoring import Intake
from workflows import (
    Workspace,
    add_account,
    create_vendor,
    ingest_file,
    issue_to_vendor,
    list_users,
    list_vendors,
    save_answers,
)

DEMO_DIR = REPO_ROOT / "data" / "demo"
DEMO_VENDORS = {
    "lumora-ai": "Lumora AI GmbH",
    "quillstack": "Quillstack Inc.",
    "norvik-analytics": "Norvik Analytics Oy",
}
DEMO_ROLES = ("procurement", "legal", "security", "admin")
ACCOUNTS_FILE = "demo-accounts.txt"


def load_demo(workspace: Workspace, actor: Actor) -> int:
    """Load the demo vendors if the workspace has no vendor yet; return how many files were taken in."""
    if list_vendors(workspace):
        return 0
    count = 0
    for folder, name in DEMO_VENDORS.items():
        vendor = create_vendor(workspace, name, actor, Intake.default(), owner="demo-procurement")
        for path in sorted((DEMO_DIR / folder).iterdir()):
            ingest_file(workspace, vendor.id, path.name, path.read_bytes(), actor)
            count += 1
        return_demo_questionnaire(workspace, vendor.id, folder, actor)
    return count


def return_demo_questionnaire(workspace: Workspace, vendor_id: int, folder: str, actor: Actor) -> int:
    """Issue the demo vendor a link for the questions its intake calls for and submit, as the vendor, its answers
    from data/demo/returned/<folder>.yaml (an unanswered question stays open); returns how many were answered."""
    returned = yaml.safe_load((DEMO_DIR / "returned" / f"{folder}.yaml").read_text(encoding="utf-8"))["answers"]
    issued = issue_to_vendor(workspace, vendor_id, "link", datetime.now(UTC).date() + timedelta(days=14), None, actor)
    answers = {
        question_id: {"value": returned[question_id]}
        for question_id in issued.issued.record.question_ids
        if returned.get(question_id) is not None
    }
    save_answers(workspace, issued.issued.token, answers, submit=True)
    return len(answers)


def demo_accounts(workspace: Workspace, actor: Actor, data_dir: Path) -> list[str]:
    """One account per role for an empty workspace, with random passwords written beside the database (never
    in the repository); the sign-in lines, as the file keeps them."""
    path = data_dir / ACCOUNTS_FILE
    if not list_users(workspace):
        lines = []
        for role in DEMO_ROLES:
            password = secrets.token_urlsafe(12)
            add_account(workspace, actor, f"demo-{role}", role, password, f"Demo {role}")
            lines.append(f"{role:<12} user demo-{role}  password {password}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return (
        path.read_text(encoding="utf-8").splitlines() if path.exists() else ["(accounts exist; see `aivet user add`)"]
    )
