"""The scoring engine: (answers, intake, profile) → scorecard, a pure function.

No LLM and no clock: the same inputs give the same scorecard, which records the profile version, the day the
age of evidence was judged on (`as_of`, given by the caller) and a hash of the answers it was computed from, so
an auditor can recompute it."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from extraction import Answer, Evidence, Status, declines

from .intake import Intake
from .profile import Criterion, KeyRule, Knockout, Profile
from .scorecard import CriterionScore, Decision, KeyScore, KnockoutHit, Scorecard


@cache
def _eea() -> frozenset[str]:
    text = resources.files("scoring").joinpath("regions.yaml").read_text("utf-8")
    return frozenset(yaml.safe_load(text)["eea"])


def answers_hash(answers: dict[str, Answer]) -> str:
    """A fingerprint of the answers a scorecard was computed from (values, statuses and evidence)."""
    canonical = {key: answers[key].to_json(with_file=True) for key in sorted(answers)}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _field(value: Any, rule_or_condition: dict[str, Any]) -> Any:
    field = rule_or_condition.get("field")
    return value.get(field) if field and isinstance(value, dict) else value


def _listed(answers: dict[str, Answer]) -> bool:
    """Did the vendor list at least one sub-processor?"""
    subprocessors = answers.get("subprocessors")
    return subprocessors is not None and subprocessors.status != Status.NOT_FOUND and bool(subprocessors.value)


def _outside_eea(answers: dict[str, Answer]) -> list[dict[str, Any]]:
    """Sub-processors processing anywhere outside the EEA (or with no stated place)."""
    if not _listed(answers):
        return []
    outside = []
    for row in answers["subprocessors"].value or []:
        places = [place.strip() for place in (row.get("country") or "").split(",") if place.strip()]
        if not places or any(place not in _eea() for place in places):
            outside.append(row)
    return outside


def _banded(rule: dict[str, Any], number: float, tier: str) -> tuple[float, str]:
    """Points for a number against the tier's thresholds: the best band it reaches."""
    bands = sorted(((int(points), limit) for points, limit in rule["thresholds"][tier].items()), reverse=True)
    unit = rule.get("unit", "")
    for points, limit in bands:
        if (number <= limit) if rule["type"] == "at_most" else (number >= limit):
            relation = "≤" if rule["type"] == "at_most" else "≥"
            return points, f"{number:g} {unit} {relation} {limit:g} {unit} ({tier} band for {points} points)"
    return 0, f"{number:g} {unit} misses every {tier} band"


_SELF_ASSERTION = "questionnaire"  # the evidence-cap kind of a vendor's own answers (3.2)


def _months_between(earlier: datetime.date, later: datetime.date) -> float:
    return (later - earlier).days / (365.25 / 12)


def _day(text: str) -> datetime.date | None:
    """A date answer or a certificate date: YYYY-MM-DD, or YYYY-MM (the month's last day)."""
    try:
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


class Expired(Exception):
    """Evidence older than the profile allows: the points it earns and why."""

    def __init__(self, points: float, reason: str):
        super().__init__(reason)
        self.points, self.reason = points, reason


def _age(rule: dict[str, Any], value: Any, tier: str, as_of: datetime.date | None) -> tuple[float, str]:
    day = _day(str(value)) if value is not None else None
    if day is None:
        return 0, f"'{value}' is not a date"
    if rule.get("deadline"):
        deadline = datetime.date.fromisoformat(rule["deadline"])
        if day > deadline:
            return rule.get("expired", 0), f"{day} is after the deadline {deadline}"
        return rule["points"], f"{day}, by the deadline {deadline}"
    limit = (rule.get("max_months") or {}).get(tier)
    if limit is None:
        return rule["points"], f"dated {day}"
    if as_of is None:
        return min(rule["points"], 2), f"dated {day}; no scoring day was given to judge its age, so a reviewer must"
    months = _months_between(day, as_of)
    if months > limit:
        raise Expired(
            rule.get("expired", 0),
            f"dated {day}, {months:.0f} months before {as_of} ({tier} allows {limit:g}): expired — ask for the current one",
        )
    return rule["points"], f"dated {day}, {months:.0f} months before {as_of} (within {limit:g})"


def _certification_age(
    rule: dict[str, Any], item: dict[str, Any], tier: str, as_of: datetime.date | None
) -> str | None:
    """Why a certification is expired on the scoring day, or None while it is current (or undated)."""
    day = _day(item.get("date") or "")
    if day is None or as_of is None:
        return None
    kind = item.get("date_kind") or "stated"
    report = item["name"] in rule.get("reports", ()) or kind == "period_end"
    if kind == "valid_until":
        return f"{item['name']} was valid until {day}" if day < as_of else None
    limit = rule["report_max_months"][tier] if report else rule.get("certificate_max_months", 36)
    months = _months_between(day, as_of)
    if months <= limit:
        return None
    what = "period ended" if report else "certificate dated"
    return f"{item['name']} {what} {day}, {months:.0f} months before {as_of} (at most {limit:g})"


def _certifications(
    rule: dict[str, Any], items: list[dict[str, Any]], tier: str, as_of: datetime.date | None
) -> tuple[float, str]:
    if not items:
        return 0, "no certification or attestation held"
    current, expired = [], []
    for item in items:
        why = _certification_age(rule, item, tier, as_of)
        (expired if why else current).append((item, why))
    if not current:
        raise Expired(
            rule.get("expired", 0), "; ".join(why for _, why in expired) + ": expired — ask for the current report"
        )
    best = max(current, key=lambda pair: rule["points"].get(pair[0]["name"], rule.get("other", 1)))[0]
    points = rule["points"].get(best["name"], rule.get("other", 1))
    names = ", ".join(dict.fromkeys(item["name"] for item, _ in current))
    reason = f"holds {names}; best {best['name']}" + (
        f" ({best['date_kind']} {best['date']})" if best.get("date") else ""
    )
    if expired:
        reason += "; expired: " + "; ".join(why for _, why in expired)
    return points, reason


def _checklist(rule: dict[str, Any], value: dict[str, Any], scale: int) -> tuple[float, str]:
    stated = [field for field in rule["points"] if value.get(field) not in (None, False, [], "")]
    absent = [field for field in rule["points"] if value.get(field) is False]
    points = min(scale, sum(rule["points"][field] for field in stated))
    reason = "states " + (", ".join(field.replace("_", " ") for field in stated) or "none of the controls")
    if absent:
        reason += "; not: " + ", ".join(field.replace("_", " ") for field in absent)
    return points, reason


def _rule_points(
    rule: dict[str, Any],
    answer: Answer,
    answers: dict[str, Answer],
    tier: str,
    outside: list[dict[str, Any]],
    scale: int = 4,
    as_of: datetime.date | None = None,
) -> tuple[float, str]:
    kind = rule["type"]
    value = _field(answer.value, rule)
    if kind == "enum":
        if isinstance(value, list):  # several stated values (AI Act roles): the best one counts
            known = [item for item in value if item in rule["points"]]
            if not known:
                return 0, f"{value} holds no value the profile scores"
            best = max(known, key=lambda item: rule["points"][item])
            return rule["points"][best], f"'{best}'" + (f" (of {', '.join(value)})" if len(value) > 1 else "")
        if value not in rule["points"]:
            return 0, f"'{value}' is not a value the profile scores"
        return rule["points"][value], f"'{value}'"
    if kind == "yes_no":
        if value == "no":
            return rule.get("no", 0), "'no'"
        if value != "yes":
            return 0, f"'{value}' is neither yes nor no"
        if rule.get("qualified") is not None and answer.note.startswith("Qualifier:"):
            return rule["qualified"], f"'yes' with a qualifier ({answer.note.removeprefix('Qualifier:').strip()})"
        return rule["yes"], "'yes'"
    if kind == "stated":
        if isinstance(value, list):
            text = "\n".join(map(str, value))
        elif isinstance(value, dict):
            text = str(value.get("text") or "")
        else:
            text = "" if value is None else str(value)
        if not text.strip():
            return 0, "answered without content"
        if rule.get("declined", 0) is not None and declines(text):
            return rule.get("declined", 0), f"declined: '{text[:60]}'"
        return rule["points"], "answered; a reviewer judges it against the bank's good answer"
    if kind == "age":
        return _age(rule, value, tier, as_of)
    if kind == "checklist":
        return _checklist(rule, value or {}, scale)
    if kind == "certifications":
        return _certifications(rule, value or [], tier, as_of)
    if kind == "residency":
        regions = (value or {}).get("regions") or []
        if (value or {}).get("eu_only_option"):
            return rule["eea"], "an EU-only option is stated"
        if regions and all(region in _eea() for region in regions):
            return rule["eea"], f"every region is in the EEA ({', '.join(regions)})"
        if regions:
            return rule["disclosed"], f"regions named, some outside the EEA: {', '.join(regions)}"
        return 0, "no region named"
    if kind in ("at_most", "at_least"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):  # "rotated regularly": no number to band
            return rule.get("stated_without_number", 0), "stated without a number"
        return _banded(rule, value, tier)
    if kind == "transfers":
        if _listed(answers) and not outside:
            return rule["no_transfer"], "every sub-processor processes inside the EEA"
        mechanisms = [name for name in (answer.value or []) if name in rule["mechanisms"]]
        if mechanisms:
            best = max(mechanisms, key=lambda name: rule["mechanisms"][name])
            return rule["mechanisms"][best], f"relies on {', '.join(mechanisms)}"
        return rule["none"], "no transfer mechanism named"
    rows = answer.value or []
    if rows and all(row.get("country") for row in rows):
        return rule.get("with_locations", rule["points"]), f"{len(rows)} listed, each with where it processes"
    return rule["points"], f"{len(rows)} listed"


@cache
def _source_cap(caps: tuple[tuple[str, float, str], ...], file: str) -> tuple[float, str]:
    """The cap of the first evidence-cap pattern a file name matches."""
    for kind, top, file_pattern in caps:
        if re.search(file_pattern, file, re.IGNORECASE):
            return top, kind
    return 0, "none"


def _cap(caps: tuple[tuple[str, float, str], ...], evidence: tuple[Evidence, ...]) -> tuple[float, str]:
    """The highest score the strongest source of an answer allows (a FAQ cannot score like a signed DPA)."""
    return max((_source_cap(caps, item.file) for item in evidence), default=(0, "none"))


def _key_score(
    profile: Profile,
    rule: KeyRule,
    answers: dict[str, Answer],
    tier: str,
    outside: list[dict[str, Any]],
    caps: tuple[tuple[str, float, str], ...],
    as_of: datetime.date | None = None,
) -> KeyScore:
    answer = answers.get(rule.key)
    top = profile.scale * rule.weight
    if rule.rule["type"] == "transfers" and _listed(answers) and not outside:
        answer = answers["subprocessors"]  # no transfer to justify: the list itself is the evidence
    if answer is None or answer.status == Status.NOT_FOUND:
        where = "in the vendor's documents or questionnaires"
        return KeyScore(rule.key, 0, 0, top, "missing", f"not found {where} — ask: {rule.ask}", (), rule.question)
    if not answer.evidence:  # evidence or it did not happen
        return KeyScore(
            rule.key, 0, 0, top, "missing", f"answered without evidence — ask: {rule.ask}", (), rule.question
        )
    expired = False
    try:
        raw, reason = _rule_points(rule.rule, answer, answers, tier, outside, profile.scale, as_of)
    except Expired as stale:
        raw, reason, expired = stale.points, stale.reason, True
    cap, source = _cap(caps, answer.evidence)
    if rule.rule.get("needs_document") is not None and raw > rule.rule["needs_document"] and source == _SELF_ASSERTION:
        raw = rule.rule["needs_document"]
        reason += f"; capped at {raw:g}: only the questionnaire says so — ask for the document that shows it"
    if raw > cap:
        raw, reason = cap, f"{reason}; capped at {cap:g} because the best source is {source}"
    # the confidence as the answer records it (and answers_hash fingerprints it), so a recomputation agrees
    low = round(answer.confidence, 2) < profile.low_confidence["below"]
    if low and raw > profile.low_confidence["max"]:
        raw = profile.low_confidence["max"]
        reason += f"; capped at {raw:g}: extraction confidence {answer.confidence:.2f} needs a reviewer"
    if answer.status in (Status.CONFLICT, Status.NEEDS_REVIEW):
        status = str(answer.status)
    elif expired:
        status = "expired"
    else:  # 3.2: low extraction confidence caps the score and sends the item for human review
        status = str(Status.NEEDS_REVIEW) if low else "scored"
    return KeyScore(rule.key, raw, raw * rule.weight, top, status, reason, answer.evidence, rule.question)


def _applies(rule: KeyRule, flags: dict[str, bool]) -> bool:
    """A key applies when any of its bank flags is true for our intake (3.3); `always` always is."""
    return any(flag == "always" or flags.get(flag) for flag in rule.applies_when)


def _weights(profile: Profile, flags: dict[str, bool], scored: dict[str, float | None]) -> dict[str, float]:
    """Criterion weights after the intake's multipliers, renormalised to 100 over the criteria that apply."""
    active = {
        "dora_cif": flags["dora_cif"],
        "high_risk_use": flags["high_risk_use"],
        "not_genai": not flags["genai"],
        "no_personal_data": not flags["personal_data"],
    }
    weights = {}
    for criterion in profile.criteria:
        weight = criterion.weight
        for flag, multipliers in profile.multipliers.items():
            if active.get(flag):
                weight *= multipliers.get(criterion.id, 1.0)
        weights[criterion.id] = weight if scored[criterion.id] is not None else 0.0
    total = sum(weights.values())
    return {key: (weight / total * 100 if total else 0.0) for key, weight in weights.items()}


def _knockout(
    rule: Knockout, answers: dict[str, Answer], intake: Intake, outside: list[dict[str, Any]]
) -> KnockoutHit | None:
    flags = intake.flags
    if intake.tier not in rule.tiers or not all(flags.get(flag) for flag in rule.flags):
        return None
    when = rule.when
    if when.get("check") == "prohibited_use":
        if flags["prohibited_use"]:
            return KnockoutHit(
                rule.id,
                rule.title,
                rule.type,
                rule.basis,
                "Our intake classifies the intended use as a prohibited AI practice.",
            )
        return None
    if when.get("check") == "transfer_without_mechanism":
        mechanism = answers.get("transfer_mechanism")
        if outside and (mechanism is None or mechanism.status == Status.NOT_FOUND or not mechanism.value):
            names = ", ".join(f"{row['name']} ({row.get('country') or 'no location'})" for row in outside[:5])
            return KnockoutHit(
                rule.id,
                rule.title,
                rule.type,
                rule.basis,
                f"Processing outside the EEA ({names}) and no transfer mechanism is named.",
                answers["subprocessors"].evidence[:5],
                _contested(answers["subprocessors"]) or (mechanism is not None and _contested(mechanism)),
                "transfer_mechanism",
            )
        return None
    answer = answers.get(when["key"])
    if answer is None or answer.status == Status.NOT_FOUND:
        return None
    value = _field(answer.value, when)
    hit = (
        ("in" in when and value in when["in"])
        or ("above" in when and value is not None and value > when["above"])
        or (when.get("or_no_number") and value is None)
        or (
            "no_number_in" in when
            and all(_field(answer.value, {"field": name}) is None for name in when["no_number_in"])
        )
    )
    if not hit:
        return None
    shown = value if value is not None else "no number stated"
    return KnockoutHit(
        rule.id,
        rule.title,
        rule.type,
        rule.basis,
        f"{when['key']} is {shown}.",
        answer.evidence,
        _contested(answer),
        when["key"],
    )


def _contested(answer: Answer) -> bool:
    return answer.status in (Status.CONFLICT, Status.NEEDS_REVIEW)


def _decision(
    profile: Profile,
    tier: str,
    score: float,
    criteria: list[CriterionScore],
    knockouts: list[KnockoutHit],
    reviews: list[dict[str, str]],
) -> tuple[str, list[str]]:
    notes = []
    final = [hit for hit in knockouts if not hit.pending]
    if any(hit.type == "statutory" for hit in final):
        return Decision.REJECT, ["A statutory knock-out blocks approval; only a contract fix or rejection remains."]
    if final:
        return Decision.ESCALATE, [
            "A policy knock-out blocks approval unless the named approver accepts the risk in writing."
        ]
    if knockouts:
        pending = ", ".join(hit.id for hit in knockouts)
        return Decision.ESCALATE, [
            f"Knock-out {pending} rests on an answer in review: a reviewer's decision makes it final or lifts it."
        ]
    band = profile.decisions[tier]
    breaches = [  # each criterion carries its floor for this tier and intake
        f"{criterion.id} {criterion.score:.0f} < {criterion.floor}"
        for criterion in criteria
        if criterion.applies and criterion.score < (criterion.floor or 0)
    ]
    if score >= band["approve"] and not breaches:
        decision = Decision.APPROVE
    elif score >= band["conditional"]:
        decision = Decision.APPROVE_WITH_CONDITIONS
        notes += [f"Criterion floor not met: {breach}." for breach in breaches]
    else:
        return Decision.REJECT, [f"Score {score:.1f} is below {band['conditional']} for {tier}."]
    if reviews:
        notes.append("Answers that disagree or need review must be settled by a reviewer before sign-off.")
        return Decision.ESCALATE, notes
    return decision, notes


def _floors(profile: Profile, tier: str, flags: dict[str, bool]) -> dict[str, float]:
    band = profile.decisions[tier]
    floors = {criterion.id: band["floor"] for criterion in profile.criteria} | band.get("floors", {})
    for flag, extra in band.get("floors_when", {}).items():
        if flags.get(flag):
            floors |= extra
    return floors


def score(
    answers: dict[str, Answer], intake: Intake, profile: Profile, as_of: datetime.date | None = None
) -> Scorecard:
    """Score a vendor's answers for our intake under a profile; deterministic and free of side effects.

    `as_of` is the day the age of evidence is judged on (a SOC 2 period that ended more than 12 months before it
    is expired); the scorecard records it, so a recomputation uses the same day."""
    tier = intake.tier
    flags = intake.flags
    outside = _outside_eea(answers)
    caps = tuple((cap["kind"], cap["max"], cap["file_pattern"]) for cap in profile.evidence_caps)
    per_criterion: list[tuple[Criterion, list[KeyRule], list[KeyScore], float | None]] = []
    for criterion in profile.criteria:
        rules = [rule for rule in criterion.keys if _applies(rule, flags)]
        keys = [_key_score(profile, rule, answers, tier, outside, caps, as_of) for rule in rules]
        top = sum(key.max for key in keys)
        per_criterion.append((criterion, rules, keys, sum(key.points for key in keys) / top * 100 if top else None))
    weights = _weights(profile, flags, {criterion.id: value for criterion, _, _, value in per_criterion})
    floors = _floors(profile, tier, flags)
    criteria = [
        CriterionScore(
            criterion.id, criterion.name, weights[criterion.id], value, tuple(keys), floors.get(criterion.id)
        )
        for criterion, _, keys, value in per_criterion
    ]
    total = sum(
        criterion.score * criterion.weight / 100 for criterion in criteria if criterion.applies and criterion.weight
    )
    total = min(100.0, total)  # a weighted sum of 100s can round to a hair above 100
    knockouts = [hit for rule in profile.knockouts if (hit := _knockout(rule, answers, intake, outside))]
    missing = [
        {"key": key.key, "ask": rule.ask, "criterion": criterion.id, "question": rule.question}
        for criterion, rules, keys, _ in per_criterion
        for key, rule in zip(keys, rules)
        if key.status == "missing"
    ]
    expired = [
        {"key": key.key, "criterion": criterion.id, "reason": key.reason}
        for criterion in criteria
        for key in criterion.keys
        if key.status == "expired"
    ]
    reviews = [
        {"key": key.key, "reason": key.status.replace("_", " ")}
        for criterion in criteria
        for key in criterion.keys
        if key.status in ("conflict", "needs_review")
    ]
    decision, notes = _decision(profile, tier, total, criteria, knockouts, reviews)
    if intake.assumed:
        notes.insert(0, "No intake was given: tier T2 (customer personal data, generative AI) is assumed.")
    return Scorecard(
        profile.id,
        profile.version,
        tier,
        intake.to_json(),
        total,
        decision,
        tuple(knockouts),
        tuple(criteria),
        tuple(missing),
        tuple(reviews),
        answers_hash(answers),
        tuple(notes),
        None if as_of is None else as_of.isoformat(),
        tuple(expired),
    )
