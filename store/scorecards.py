"""A vendor's scorecard, from its stored, merged answers: the app's door onto scoring."""

from __future__ import annotations

from scoring import Intake, Scorecard, load_profile, score
from scoring.compare import Comparison, compare
from store.extractions import vendor_answers
from store.vendors import list_vendors
from store.workspace import Workspace


def vendor_scorecard(workspace: Workspace, vendor_id: int, intake: Intake, profile_id: str, actor: str) -> Scorecard:
    """Score the vendor's merged answers (extracting documents added since the last look first)."""
    return score(vendor_answers(workspace, vendor_id, actor).merged.answers, intake, load_profile(profile_id))


def compare_vendors(workspace: Workspace, vendor_ids: list[int], intake: Intake, profile_id: str, actor: str) -> Comparison:
    """2–5 vendors scored with the same intake and profile, lined up."""
    names = {vendor.id: vendor.name for vendor in list_vendors(workspace)}
    return compare([(names[vendor_id], vendor_scorecard(workspace, vendor_id, intake, profile_id, actor))
                    for vendor_id in vendor_ids])
