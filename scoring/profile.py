"""Procurement profiles: versioned YAML read into checked, immutable objects.

A profile is data a risk owner can read and change; this module only loads it and refuses a
mistake with the file and line it is on, so a wrong profile never produces a scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from extraction import ANSWER_KEYS

PROFILES = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "eu-fintech-standard"
TIERS = ("T1", "T2", "T3", "T4")
RULE_TYPES = {"enum", "at_most", "at_least", "transfers", "disclosed"}
KNOCKOUT_CHECKS = {"transfer_without_mechanism", "prohibited_use"}
FLAGS = {"dora_cif", "high_risk_use", "personal_data", "customer_facing", "genai", "gpai_based", "non_eea"}
MULTIPLIER_FLAGS = {"dora_cif", "high_risk_use", "not_genai", "no_personal_data"}


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class KeyRule:
    key: str
    priority: str
    weight: float
    ask: str
    rule: dict[str, Any]


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


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping, so a mistake can be shown where it is."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, node: dict, problem: str):
        raise ProfileError(f"{self.source}, line {node.get('__line__', '?')}: {problem}")

    def field(self, node: dict, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in node:
            if default is ...:
                self.fail(node, f"'{name}' is missing.")
            return default
        value = node[name]
        if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float, (int, float)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(item.__name__ for item in kind)
            self.fail(node, f"'{name}' must be {names}, not {type(value).__name__} ({value!r}).")
        return value

    def points(self, node: dict, name: str, scale: int) -> None:
        value = self.field(node, name, (int, float))
        if not 0 <= value <= scale:
            self.fail(node, f"'{name}' is {value}; points run from 0 to {scale}.")


def _clean(value: Any) -> Any:
    """The parsed YAML without the line markers."""
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items() if key != "__line__"}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _rule(reader: _Reader, node: dict, scale: int) -> None:
    kind = reader.field(node, "type", str)
    if kind not in RULE_TYPES:
        reader.fail(node, f"rule type '{kind}' is unknown; use one of {sorted(RULE_TYPES)}.")
    if kind == "enum":
        points = reader.field(node, "points", dict)
        for label in [label for label in points if label != "__line__"]:
            reader.points(points, label, scale)
    elif kind in ("at_most", "at_least"):
        thresholds = reader.field(node, "thresholds", dict)
        for tier in TIERS:
            bands = reader.field(thresholds, tier, dict)
            for points in [points for points in bands if points != "__line__"]:
                if not isinstance(points, int) or not 0 <= points <= scale:
                    reader.fail(bands, f"{tier}: '{points}' is not a number of points from 0 to {scale}.")
                reader.field(bands, points, (int, float))
        if "stated_without_number" in node:
            reader.points(node, "stated_without_number", scale)
    elif kind == "transfers":
        for name in ("no_transfer", "none"):
            reader.points(node, name, scale)
        mechanisms = reader.field(node, "mechanisms", dict)
        for name in [name for name in mechanisms if name != "__line__"]:
            reader.points(mechanisms, name, scale)
    else:
        reader.points(node, "points", scale)
        if "with_locations" in node:
            reader.points(node, "with_locations", scale)


def parse_profile(text: str, source: str = "<profile>") -> Profile:
    """Check a profile's YAML and build it; any mistake raises ProfileError naming the line."""
    reader = _Reader(source)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ProfileError(f"{source}{where}: this is not valid YAML ({getattr(error, 'problem', error)}).") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile is a mapping with id, version, criteria, knockouts and decisions.")
    scale = reader.field(data, "scale", int)
    weights = reader.field(data, "key_weights", dict)
    criteria = []
    seen_keys: set[str] = set()
    for node in reader.field(data, "criteria", list):
        keys = []
        for key_node in reader.field(node, "keys", list):
            key = reader.field(key_node, "key", str)
            if key not in ANSWER_KEYS:
                reader.fail(key_node, f"'{key}' is not an answer key; use one of {list(ANSWER_KEYS)}.")
            if key in seen_keys:
                reader.fail(key_node, f"'{key}' is scored twice; a key belongs to one criterion.")
            seen_keys.add(key)
            priority = reader.field(key_node, "priority", str)
            if priority not in weights:
                reader.fail(key_node, f"priority '{priority}' is not one of {[w for w in weights if w != '__line__']}.")
            _rule(reader, reader.field(key_node, "rule", dict), scale)
            keys.append(KeyRule(key, priority, weights[priority], reader.field(key_node, "ask", str),
                                _clean(key_node["rule"])))
        criteria.append(Criterion(reader.field(node, "id", str), reader.field(node, "name", str),
                                  float(reader.field(node, "weight", (int, float))), tuple(keys)))
    ids = {criterion.id for criterion in criteria}
    multipliers = reader.field(data, "multipliers", dict, {})
    for flag in [flag for flag in multipliers if flag != "__line__"]:
        if flag not in MULTIPLIER_FLAGS:
            reader.fail(multipliers, f"multiplier flag '{flag}' is unknown; use one of {sorted(MULTIPLIER_FLAGS)}.")
        for criterion in [item for item in multipliers[flag] if item != "__line__"]:
            if criterion not in ids:
                reader.fail(multipliers[flag], f"'{criterion}' is not a criterion of this profile.")
    knockouts = []
    for node in reader.field(data, "knockouts", list):
        when = reader.field(node, "when", dict)
        if "check" in when and when["check"] not in KNOCKOUT_CHECKS:
            reader.fail(when, f"check '{when['check']}' is unknown; use one of {sorted(KNOCKOUT_CHECKS)}.")
        if "key" in when and when["key"] not in ANSWER_KEYS:
            reader.fail(when, f"'{when['key']}' is not an answer key.")
        if not {"check", "key"} & set(when):
            reader.fail(when, "a knock-out needs 'key' (with in, above or no_number_in) or 'check'.")
        kind = reader.field(node, "type", str)
        if kind not in ("statutory", "policy"):
            reader.fail(node, f"type '{kind}' must be statutory or policy.")
        flags = tuple(reader.field(node, "flags", list, []))
        if unknown := set(flags) - FLAGS:
            reader.fail(node, f"flags {sorted(unknown)} are unknown; use {sorted(FLAGS)}.")
        knockouts.append(Knockout(reader.field(node, "id", str), reader.field(node, "title", str), kind,
                                  reader.field(node, "basis", str), tuple(reader.field(node, "tiers", list, list(TIERS))),
                                  flags, _clean(when)))
    decisions = reader.field(data, "decisions", dict)
    for tier in TIERS:
        band = reader.field(decisions, tier, dict)
        for name in ("approve", "conditional", "floor"):
            reader.field(band, name, (int, float))
        if band["conditional"] > band["approve"]:
            reader.fail(band, f"{tier}: 'conditional' ({band['conditional']}) is above 'approve' ({band['approve']}).")
    caps = reader.field(data, "evidence_caps", list)
    for cap in caps:
        reader.field(cap, "kind", str)
        reader.points(cap, "max", scale)
        reader.field(cap, "file_pattern", str)
    low = reader.field(data, "low_confidence", dict)
    reader.points(low, "max", scale)
    return Profile(
        reader.field(data, "id", str), str(reader.field(data, "version", (str, int, float))), reader.field(data, "title", str),
        scale, tuple(_clean(caps)), _clean(low), tuple(criteria), _clean(multipliers), tuple(knockouts), _clean(decisions),
    )


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.yaml"))


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by id (the file name in scoring/profiles/), or a profile file by path."""
    path = Path(profile_id) if profile_id.endswith((".yaml", ".yml")) else PROFILES / f"{profile_id}.yaml"
    if not path.is_file():
        raise ProfileError(f"There is no profile '{profile_id}'. Use one of: {', '.join(available_profiles())}.")
    profile = parse_profile(path.read_text(encoding="utf-8"), path.name)
    if path.parent == PROFILES and profile.id != path.stem:
        raise ProfileError(f"{path.name}: its id is '{profile.id}'; a shipped profile's id must be its file name.")
    return profile
