"""Scoring: versioned procurement profiles turn a vendor's answers into an explainable scorecard."""

from scoring.answers import AnswersError, answers_from_file, answers_from_json
from scoring.engine import answers_hash, score
from scoring.intake import Intake, IntakeError
from scoring.profile import DEFAULT_PROFILE, Profile, ProfileError, available_profiles, load_profile, parse_profile
from scoring.scorecard import CriterionScore, Decision, KeyScore, KnockoutHit, Scorecard

__all__ = [
    "DEFAULT_PROFILE",
    "AnswersError",
    "CriterionScore",
    "Decision",
    "Intake",
    "IntakeError",
    "KeyScore",
    "KnockoutHit",
    "Profile",
    "ProfileError",
    "Scorecard",
    "answers_from_file",
    "answers_from_json",
    "answers_hash",
    "available_profiles",
    "load_profile",
    "parse_profile",
    "score",
]
