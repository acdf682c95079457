"""Procurement profiles: versioned YAML read into checked, immutable objects.

A profile is data a risk owner can read and change; this module only loads it and refuses a
mistake with the file, line and field it is on, so a wrong profile never produces a scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from aivet import typed_yaml
from aivet.typed_yaml import Frozen, Invalid
from extraction import is_question_id, known_key
from questionnaires.bank import load_bank

PROFILES = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "eu-fintech-standard"
TIERS = ("T1", "T2", "T3", "T4")
KNOCKOUT_CHECKS = {"transfer_without_mechanism", "prohibited_use"}
FLAGS = {"dora_cif", "high_risk_use", "personal_data", "customer_facing", "genai", "gpai_based", "non_eea"}
MULTIPLIER_FLAGS = {"dora_cif", "high_risk_use", "not_genai", "no_personal_data"}


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class KeyRule:
    key: str  # an answer key, or a bank question id (answered in returned questionnaires)
    priority: str
    weight: float
    ask: str
    rule: dict[str, Any]
    applies_when: tuple[str, ...] = ("always",)  # the bank's flags: any true (or `always`) and the key is scored
    question: str | None = None  # the bank question that asks for it


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: float
    keys: tuple[KeyRule, ...]


@dataclass(frozen=True)
class Knockout:
    id: str
    title: str
    type: str  # statutory · policy
    basis: str
    tiers: tuple[str, ...]
    flags: tuple[str, ...]
    when: dict[str, Any]


@dataclass(frozen=True)
class Profile:
    id: str
    version: str
    title: str
    scale: int
    evidence_caps: tuple[dict[str, Any], ...]
    low_confidence: dict[str, float]
    criteria: tuple[Criterion, ...]
    multipliers: dict[str, dict[str, float]]
    knockouts: tuple[Knockout, ...]
    decisions: dict[str, dict[str, Any]]


# --- the file's shape: what a risk owner may write, checked field by field --------------------------------------------

Number = StrictInt | StrictFloat
Tier = Literal["T1", "T2", "T3", "T4"]
IntakeFlag = Literal[tuple(sorted(FLAGS))]


def _within_scale(value: int | float, info: ValidationInfo) -> int | float:
    """Points run from 0 to the profile's scale, which parse_profile passes in the validation context."""
    scale = (info.context or {}).get("scale")
    if isinstance(scale, int) and not 0 <= value <= scale:
        raise Invalid(f"is {value}; points run from 0 to {scale}")
    return value


def _percent(value: int | float) -> int | float:
    if not 0 <= value <= 100:
        raise Invalid(f"is {value}; it must be a number from 0 to 100")
    return value


Points = Annotated[Number, AfterValidator(_within_scale)]
AnswerKey = Annotated[StrictStr, AfterValidator(known_key)]


def _scored_key(name: str) -> str:
    """An answer key of the registry, or the id of a question of the shipped bank."""
    if is_question_id(name):
        try:
            load_bank().question(name)
        except KeyError:
            raise Invalid(f"is {name!r}, which is not a question of the question bank") from None
        return name
    return known_key(name)


ScoredKey = Annotated[StrictStr, AfterValidator(_scored_key)]
PerTier = dict[Tier, Number]


class EnumRule(Frozen):
    type: Literal["enum"]
    field: StrictStr | None = None
    points: dict[StrictStr, Points]


class Thresholds(Frozen):
    """Per tier, points -> the limit a number must be within to earn them."""

    T1: dict[Annotated[StrictInt, AfterValidator(_within_scale)], Number]
    T2: dict[Annotated[StrictInt, AfterValidator(_within_scale)], Number]
    T3: dict[Annotated[StrictInt, AfterValidator(_within_scale)], Number]
    T4: dict[Annotated[StrictInt, AfterValidator(_within_scale)], Number]


class BandRule(Frozen):
    type: Literal["at_most", "at_least"]
    field: StrictStr | None = None
    unit: StrictStr | None = None
    stated_without_number: Points | None = None
    thresholds: Thresholds


class TransfersRule(Frozen):
    type: Literal["transfers"]
    no_transfer: Points
    none: Points
    mechanisms: dict[StrictStr, Points]


class DisclosedRule(Frozen):
    type: Literal["disclosed"]
    points: Points
    with_locations: Points | None = None


class YesNoRule(Frozen):
    """A yes/no question: points for yes and for no; a yes with a qualifier ("yes, Enterprise only") scores
    `qualified`; `needs_document` caps a yes that no document but the questionnaire supports."""

    type: Literal["yes_no"]
    yes: Points
    no: Points = 0
    qualified: Points | None = None
    needs_document: Points | None = None


class StatedRule(Frozen):
    """A free-text, link or list answer: `points` when given, `declined` when it declines ("no", "none", "n/a");
    a reviewer judges the words against the bank's good answer."""

    type: Literal["stated"]
    points: Points
    declined: Points | None = 0  # null where "no" or "none" is the good answer (no enforcement, no incidents)


class AgeRule(Frozen):
    """A date answer whose age matters (the end of an assurance report's period, the last red-team): `points` when
    at most `max_months` old on the scoring day, else `expired`; a date after `deadline` misses it."""

    type: Literal["age"]
    points: Points
    expired: Points = 0
    max_months: PerTier | None = None
    deadline: StrictStr | None = None


class ChecklistRule(Frozen):
    """An object of stated fields (encryption at rest, in transit, …): points per field stated, capped at the scale."""

    type: Literal["checklist"]
    points: dict[StrictStr, Points]


class CertificationsRule(Frozen):
    """Certifications and attestations: the best one that is current earns its points. A report whose period ended
    more than `report_max_months` ago (per tier), a certificate issued more than `certificate_max_months` ago or
    past its validity is expired and scores `expired`, and the vendor is asked for the current one."""

    type: Literal["certifications"]
    points: dict[StrictStr, Points]
    other: Points = 1
    expired: Points = 0
    reports: tuple[StrictStr, ...] = ()
    report_max_months: PerTier
    certificate_max_months: Number = 36


class ResidencyRule(Frozen):
    """Where data is kept: every region inside the EEA, or an EU-only option, earns `eea`; other regions `disclosed`."""

    type: Literal["residency"]
    eea: Points
    disclosed: Points


Rule = Annotated[
    EnumRule
    | BandRule
    | TransfersRule
    | DisclosedRule
    | YesNoRule
    | StatedRule
    | AgeRule
    | ChecklistRule
    | CertificationsRule
    | ResidencyRule,
    Field(discriminator="type"),
]


class KeyEntry(Frozen):
    """One scored key: an answer key (priority and ask required) or a bank question id, whose priority, question
    and applies_when come from the bank unless given here."""

    key: ScoredKey
    priority: StrictStr | None = None
    ask: StrictStr | None = None
    rule: Rule

    @model_validator(mode="after")
    def _answer_keys_say_how_to_ask(self) -> KeyEntry:
        if not is_question_id(self.key):
            for name in ("priority", "ask"):
                if getattr(self, name) is None:
                    raise Invalid(f"is missing; answer key {self.key!r} needs its {name}", at=(name,))
        return self


class CriterionEntry(Frozen):
    id: StrictStr
    name: StrictStr
    weight: Annotated[Number, AfterValidator(_percent)]
    keys: tuple[KeyEntry, ...]


class KnockoutCondition(Frozen):
    """An answer key's value that knocks a vendor out, or a check the engine makes."""

    key: AnswerKey | None = None
    field: StrictStr | None = None
    in_: tuple[StrictStr, ...] | None = Field(None, alias="in")
    above: Number | None = None
    or_no_number: StrictBool | None = None
    no_number_in: tuple[StrictStr, ...] | None = None
    check: Literal[tuple(sorted(KNOCKOUT_CHECKS))] | None = None

    @model_validator(mode="after")
    def _key_or_check(self) -> KnockoutCondition:
        if self.key is None and self.check is None:
            raise Invalid("has neither key nor check; add key (with in, above or no_number_in) or check")
        return self


class KnockoutEntry(Frozen):
    id: StrictStr
    title: StrictStr
    type: Literal["statutory", "policy"]
    basis: StrictStr
    tiers: tuple[Tier, ...] = TIERS
    flags: tuple[IntakeFlag, ...] = ()
    when: KnockoutCondition


class DecisionBand(Frozen):
    approve: Number
    conditional: Number
    floor: Number
    floors: dict[StrictStr, Number] = {}
    floors_when: dict[IntakeFlag, dict[StrictStr, Number]] = {}

    @model_validator(mode="after")
    def _conditional_within_approve(self) -> DecisionBand:
        if self.conditional > self.approve:
            raise Invalid(
                f"is {self.conditional}, above approve ({self.approve}); make it at most {self.approve}",
                at=("conditional",),
            )
        return self


class Decisions(Frozen):
    T1: DecisionBand
    T2: DecisionBand
    T3: DecisionBand
    T4: DecisionBand


class EvidenceCap(Frozen):
    kind: StrictStr
    max: Points
    file_pattern: StrictStr


class LowConfidence(Frozen):
    below: Number
    max: Points


class ProfileFile(Frozen):
    """A profile file as written; parse_profile turns it into a Profile."""

    id: StrictStr
    version: StrictStr | StrictInt | StrictFloat
    title: StrictStr
    applies_to: StrictStr | None = None
    scale: Annotated[StrictInt, Field(gt=0)]
    key_weights: dict[StrictStr, Number]
    evidence_caps: tuple[EvidenceCap, ...]
    low_confidence: LowConfidence
    criteria: tuple[CriterionEntry, ...]
    multipliers: dict[Literal[tuple(sorted(MULTIPLIER_FLAGS))], dict[StrictStr, Number]] = {}
    knockouts: tuple[KnockoutEntry, ...]
    decisions: Decisions

    @field_validator("id")
    @classmethod
    def _shipped_id_is_file_name(cls, value: str, info: ValidationInfo) -> str:
        file_name = (info.context or {}).get("shipped_as")
        if file_name is not None and value != file_name:
            raise Invalid(f"is {value!r}; a shipped profile's id must be its file name ({file_name!r})")
        return value

    @model_validator(mode="after")
    def _keys_and_criteria_agree(self) -> ProfileFile:
        scored: set[str] = set()
        for number, criterion in enumerate(self.criteria):
            for index, entry in enumerate(criterion.keys):
                at = ("criteria", number, "keys", index)
                if (entry.priority or _bank_priority(entry.key)) not in self.key_weights:
                    raise Invalid(
                        f"is {entry.priority!r}; use one of {', '.join(self.key_weights)}", at=at + ("priority",)
                    )
                if entry.key in scored:
                    raise Invalid(
                        f"is {entry.key!r}, which another criterion scores; a key belongs to one criterion",
                        at=at + ("key",),
                    )
                scored.add(entry.key)
        ids = [criterion.id for criterion in self.criteria]
        for flag, factors in self.multipliers.items():
            for criterion in factors:
                if criterion not in ids:
                    raise Invalid(
                        f"is not a criterion of this profile; use one of {', '.join(ids)}",
                        at=("multipliers", flag, criterion),
                    )
        return self


def _bank_priority(key: str) -> str:
    return load_bank().question(key).priority


def _key_rule(entry: KeyEntry, weights: dict[str, float]) -> KeyRule:
    """A key entry with what the bank says of its question: the priority, the question to ask, applies_when."""
    rule = entry.rule.model_dump(exclude_unset=True)
    if is_question_id(entry.key):
        question = load_bank().question(entry.key)
        priority = entry.priority or question.priority
        return KeyRule(
            entry.key, priority, weights[priority], entry.ask or question.text, rule, question.applies_when, question.id
        )
    asked_by = load_bank().for_answer_key(entry.key)
    return KeyRule(
        entry.key, entry.priority, weights[entry.priority], entry.ask, rule, ("always",), asked_by and asked_by.id
    )


def parse_profile(text: str, source: str = "<profile>") -> Profile:
    """Check a profile's YAML and build it; any mistake raises ProfileError naming the line and field."""
    return _parse(text, source)


def _parse(text: str, source: str, shipped_as: str | None = None) -> Profile:
    data, lines = typed_yaml.load(text, source, ProfileError)
    scale = data.get("scale") if isinstance(data, dict) else None
    file = typed_yaml.validate(
        ProfileFile, data, source, ProfileError, lines, context={"scale": scale, "shipped_as": shipped_as}
    )
    criteria = tuple(
        Criterion(
            criterion.id,
            criterion.name,
            float(criterion.weight),
            tuple(_key_rule(entry, file.key_weights) for entry in criterion.keys),
        )
        for criterion in file.criteria
    )
    knockouts = tuple(
        Knockout(
            knockout.id,
            knockout.title,
            knockout.type,
            knockout.basis,
            knockout.tiers,
            knockout.flags,
            knockout.when.model_dump(exclude_unset=True, by_alias=True),
        )
        for knockout in file.knockouts
    )
    return Profile(
        file.id,
        str(file.version),
        file.title,
        file.scale,
        tuple(cap.model_dump() for cap in file.evidence_caps),
        file.low_confidence.model_dump(),
        criteria,
        {flag: dict(factors) for flag, factors in file.multipliers.items()},
        knockouts,
        file.decisions.model_dump(exclude_unset=True),
    )


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.yaml"))


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by id (the file name in scoring/profiles/), or a profile file by path."""
    path = Path(profile_id) if profile_id.endswith((".yaml", ".yml")) else PROFILES / f"{profile_id}.yaml"
    if not path.is_file():
        raise ProfileError(f"There is no profile '{profile_id}'. Use one of: {', '.join(available_profiles())}.")
    return _parse(path.read_text(encoding="utf-8"), path.name, path.stem if path.parent == PROFILES else None)
