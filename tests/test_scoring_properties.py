"""Scoring properties over generated answer sets and intakes, on every shipped profile.

Answers are built as `extraction.Answer` for the nine keys with random but valid values, statuses and
sources (a DPA, a questionnaire, a FAQ...), so the evidence caps and the low-confidence cap vary too."""

from __future__ import annotations

import dataclasses
import datetime
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import scoring
from extraction import ANSWER_KEYS, Answer, Evidence, Method, Status
from scoring import Decision, Intake
from scoring.intake import CHOICES, YES_NO
from tests.test_scoring import BEST_VALUES

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PROFILES = [scoring.load_profile(name) for name in scoring.available_profiles()]


def _with_keys_in_c8(profile: scoring.Profile) -> scoring.Profile:
    """The standard profile with C10's keys moved to C8, which `not_genai` weighs 0: a criterion with answers but no weight."""
    by_id = {criterion.id: criterion for criterion in profile.criteria}
    moved = {
        "C8": dataclasses.replace(by_id["C8"], keys=by_id["C10"].keys),
        "C10": dataclasses.replace(by_id["C10"], keys=()),
    }
    return dataclasses.replace(profile, id="c8-variant", criteria=tuple(moved.get(c.id, c) for c in profile.criteria))


ALL_PROFILES = PROFILES + [_with_keys_in_c8(scoring.load_profile())]
profiles = st.sampled_from(ALL_PROFILES)

# --- strategies ---------------------------------------------------------------------------------------------------------

FILES = ("dpa.pdf", "order-form.docx", "questionnaire.csv", "security-whitepaper.pdf", "faq.html", "blog.md")
COUNTRIES = (
    "Germany",
    "France",
    "Ireland",
    "Norway",
    "United States",
    "India",
    "Philippines",
    "Global",
    "Germany, United States",
    "",
    None,
)
MECHANISMS = ("SCC", "DPF", "adequacy", "BCR", "UK Addendum", "Swiss Addendum")  # the contract's list
LABELS = ("never", "opt_in", "unclear", "opt_out", "yes")
# recorded confidences (two decimals) and a few unrounded ones next to the 0.5 threshold
confidences = st.one_of(st.integers(0, 100).map(lambda n: n / 100), st.sampled_from([0.496, 0.499, 0.501, 0.7349]))

days = st.integers(0, 2000)
maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731

VALUES = {
    "retention": st.lists(
        st.fixed_dictionaries(
            {
                "data_category": st.sampled_from(["customer content", "logs", "backups"]),
                "period_days": maybe(days),
                "condition": st.sampled_from(["default", "in backups"]),
            }
        ),
        max_size=3,
    ),
    "retention_days": maybe(days),
    "training_use": st.fixed_dictionaries({"label": st.sampled_from(LABELS), "scope": maybe(st.just("api"))}),
    "subprocessors": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(["AWS", "Hetzner", "OpenAI", "Kestrel"]),
                "country": st.sampled_from(COUNTRIES),
                "purpose": st.just("hosting"),
            }
        ),
        max_size=4,
    ),
    "subprocessor_change_notice_days": st.fixed_dictionaries(
        {"value": maybe(st.integers(0, 200)), "objection_window_days": maybe(st.integers(0, 60))}
    ),
    "transfer_mechanism": st.lists(st.sampled_from(MECHANISMS), unique=True, max_size=3),
    "breach_notification_hours": maybe(st.integers(0, 400)),
    "audit_rights": st.sampled_from(["yes", "limited", "no"]),
    "deletion_on_termination_days": st.fixed_dictionaries(
        {"value": maybe(st.integers(0, 800)), "obligation": st.sampled_from(["delete", "return"])}
    ),
}
# The assurance keys: absent, or their best value (their rules are checked by example in test_scoring.py).
VALUES |= {key: st.one_of(st.none(), st.just(BEST_VALUES[key])) for key in ANSWER_KEYS if key not in VALUES}


def _question_values(rule: dict) -> st.SearchStrategy:
    """Valid answers to a bank question scored by its own id (profiles 2.0.0), by its rule type."""
    kind = rule["type"]
    if kind == "enum":
        return st.sampled_from(sorted(rule["points"]))
    if kind == "yes_no":
        return st.sampled_from(["yes", "no", "qualified"])
    if kind == "stated":
        return st.sampled_from(["Documented in the signed agreement, section 4.", "See our trust centre."])
    if kind == "age":
        return st.dates(datetime.date(2019, 1, 1), datetime.date(2027, 12, 31)).map(datetime.date.isoformat)
    return st.builds(
        lambda n: {"text": f"{n} days", "days": n, "hours": n * 24, "business": False}, st.integers(0, 400)
    )


# Bank questions that score by their own id: absent, or a generated answer of their rule's type.
VALUES |= {
    rule.key: maybe(_question_values(rule.rule))
    for profile in PROFILES
    for criterion in profile.criteria
    for rule in criterion.keys
    if rule.question == rule.key and rule.key not in VALUES
}

evidence_lists = st.lists(
    st.builds(
        lambda file, page, quote: Evidence("", page, 0, len(quote), quote, file),
        st.sampled_from(FILES),
        st.integers(1, 9),
        st.sampled_from(["We retain", "Notice", "Audit"]),
    ),
    min_size=1,
    max_size=3,
)


def answer_for(key: str, status: Status | None = None) -> st.SearchStrategy[Answer]:
    statuses = (
        st.just(status)
        if status
        else st.sampled_from([Status.ANSWERED, Status.ANSWERED, Status.NOT_FOUND, Status.CONFLICT])
    )

    def build(status, value, confidence, evidence):
        if status == Status.NOT_FOUND:
            return Answer.not_found(key)
        return Answer(key, value, status, confidence, Method.RULE, tuple(evidence))

    return st.builds(build, statuses, VALUES[key], confidences, evidence_lists)


def _best(key: str) -> Answer:
    return Answer(
        key, BEST_VALUES[key], Status.ANSWERED, 0.9, Method.RULE, (Evidence("", 1, 0, 6, "clause", "dpa.pdf"),)
    )


answer_sets = st.one_of(
    st.fixed_dictionaries({key: answer_for(key) for key in ANSWER_KEYS}),  # anything
    st.fixed_dictionaries({}, optional={key: answer_for(key) for key in ANSWER_KEYS}),  # some keys absent altogether
    st.fixed_dictionaries({key: st.one_of(st.just(_best(key)), answer_for(key)) for key in ANSWER_KEYS}),  # mostly good
)

intakes = st.fixed_dictionaries(
    {},
    optional={name: st.sampled_from(values) for name, values in CHOICES.items()}
    | {name: st.booleans() for name in YES_NO},
).map(Intake.from_mapping)


def key_score(card: scoring.Scorecard, key: str) -> scoring.KeyScore | None:
    return next((item for criterion in card.criteria for item in criterion.keys if item.key == key), None)


def scored_keys(profile: scoring.Profile) -> list[str]:
    return [rule.key for criterion in profile.criteria for rule in criterion.keys]


# --- a strictly better answer never lowers the score -------------------------------------------------------------------

TRAINING_RANK = {"never": 0, "opt_in": 1, "unclear": 2, "opt_out": 3, "yes": 3}
AUDIT_RANK = {"yes": 0, "limited": 1, "no": 2}
distinct_pair = st.lists(days, min_size=2, max_size=2, unique=True).map(sorted)  # (smaller, larger)


@st.composite
def better_and_worse(draw) -> tuple[str, object, object]:
    """(key, a better value, a worse value) by the orders of the scoring criteria."""
    key = draw(
        st.sampled_from(
            [
                "retention_days",
                "breach_notification_hours",
                "deletion_on_termination_days",
                "subprocessor_change_notice_days",
                "training_use",
                "audit_rights",
                "transfer_mechanism",
            ]
        )
    )
    small, large = draw(distinct_pair)
    if key in ("retention_days", "breach_notification_hours"):  # shorter is better
        return key, small, large
    if key == "deletion_on_termination_days":
        obligation = draw(st.sampled_from(["delete", "return"]))
        return key, {"value": small, "obligation": obligation}, {"value": large, "obligation": obligation}
    if key == "subprocessor_change_notice_days":  # longer notice is better
        window = draw(maybe(st.integers(0, 60)))
        return key, {"value": large, "objection_window_days": window}, {"value": small, "objection_window_days": window}
    if key == "training_use":
        better, worse = draw(
            st.lists(st.sampled_from(LABELS), min_size=2, max_size=2).filter(
                lambda pair: TRAINING_RANK[pair[0]] < TRAINING_RANK[pair[1]]
            )
        )
        scope = draw(maybe(st.just("api")))
        return key, {"label": better, "scope": scope}, {"label": worse, "scope": scope}
    if key == "audit_rights":
        better, worse = draw(
            st.lists(st.sampled_from(list(AUDIT_RANK)), min_size=2, max_size=2).filter(
                lambda pair: AUDIT_RANK[pair[0]] < AUDIT_RANK[pair[1]]
            )
        )
        return key, better, worse
    worse = draw(st.lists(st.sampled_from(MECHANISMS), unique=True, max_size=2))  # naming one more mechanism
    extra = draw(st.sampled_from([name for name in MECHANISMS if name not in worse]))
    return key, worse + [extra], worse


@FAST
@given(
    answer_sets,
    intakes,
    profiles,
    better_and_worse(),
    st.sampled_from([Status.ANSWERED, Status.CONFLICT]),
    confidences,
    evidence_lists,
)
def test_a_strictly_better_answer_never_lowers_the_score(
    answers, intake, profile, change, status, confidence, evidence
):
    key, better, worse = change
    assume(key in scored_keys(profile))
    with_better = scoring.score(
        answers | {key: Answer(key, better, status, confidence, Method.RULE, tuple(evidence))}, intake, profile
    )
    with_worse = scoring.score(
        answers | {key: Answer(key, worse, status, confidence, Method.RULE, tuple(evidence))}, intake, profile
    )
    assert key_score(with_better, key).points >= key_score(with_worse, key).points
    assert with_better.score >= with_worse.score - 1e-9


def test_the_better_answer_orders_are_strict_somewhere():
    """The property above could pass on a flat profile; on the standard one each order really scores differently."""
    profile, intake = scoring.load_profile(), Intake.default()
    base = {key: _best(key) for key in ANSWER_KEYS}
    pairs = [
        ("retention_days", 0, 400),
        ("breach_notification_hours", 12, 100),
        ("training_use", {"label": "never"}, {"label": "opt_in"}),
        ("audit_rights", "yes", "limited"),
        ("subprocessor_change_notice_days", {"value": 90}, {"value": 0}),
        ("deletion_on_termination_days", {"value": 14}, {"value": 200}),
    ]
    for key, better, worse in pairs:
        cards = [
            scoring.score(base | {key: dataclasses.replace(base[key], value=value)}, intake, profile)
            for value in (better, worse)
        ]
        assert cards[0].score > cards[1].score, key


# --- a knock-out always blocks approval --------------------------------------------------------------------------------

APPROVALS = {Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS}


@FAST
@given(answer_sets, intakes, profiles)
def test_no_scorecard_with_a_knockout_is_approved(answers, intake, profile):
    card = scoring.score(answers, intake, profile)
    if card.knockouts:
        assert card.decision not in APPROVALS
    if any(hit.type == "statutory" and not hit.pending for hit in card.knockouts):
        assert card.decision == Decision.REJECT
    elif card.knockouts and all(hit.pending for hit in card.knockouts):
        assert card.decision == Decision.ESCALATE  # rests on a contested answer: a reviewer decides


def _trigger(kind: str) -> dict[str, Answer]:
    evidence = (Evidence("", 2, 0, 6, "clause", "dpa.pdf"),)
    return {
        "K3": {
            "training_use": Answer(
                "training_use", {"label": "opt_out", "scope": None}, Status.ANSWERED, 0.9, Method.RULE, evidence
            )
        },
        "K4": {
            "subprocessors": Answer(
                "subprocessors",
                [{"name": "OpenAI", "country": "United States", "purpose": "inference"}],
                Status.ANSWERED,
                0.9,
                Method.RULE,
                evidence,
            ),
            "transfer_mechanism": Answer.not_found("transfer_mechanism"),
        },
        "K5": {
            "subprocessor_change_notice_days": Answer(
                "subprocessor_change_notice_days",
                {"value": None, "objection_window_days": None},
                Status.ANSWERED,
                0.9,
                Method.RULE,
                evidence,
            )
        },
        "K8": {
            "breach_notification_hours": Answer(
                "breach_notification_hours", 96, Status.ANSWERED, 0.9, Method.RULE, evidence
            )
        },
    }[kind]


@FAST
@given(
    st.one_of(answer_sets, st.just({key: _best(key) for key in ANSWER_KEYS})),
    intakes,
    st.sampled_from(["K3", "K4", "K5", "K8"]),
)
def test_a_knockout_blocks_approval_whatever_the_other_points(answers, intake, kind):
    profile = scoring.load_profile()
    assume(intake.flags["personal_data"] if kind != "K3" else intake.tier != "T4")
    card = scoring.score(answers | _trigger(kind), intake, profile)
    assert kind in [hit.id for hit in card.knockouts]
    assert card.decision not in APPROVALS
    assert all(hit.evidence for hit in card.knockouts if hit.id != "K1")  # K1 comes from our own intake


# --- missing evidence never scores above present evidence ------------------------------------------------------------


@FAST
@given(answer_sets, intakes, profiles, st.data())
def test_a_missing_answer_never_scores_above_an_answered_one(answers, intake, profile, data):
    key = data.draw(st.sampled_from(scored_keys(profile)))
    present = data.draw(answer_for(key, data.draw(st.sampled_from([Status.ANSWERED, Status.CONFLICT]))))
    for missing in (Answer.not_found(key), None):
        without = {k: v for k, v in answers.items() if k != key} | ({key: missing} if missing else {})
        card_missing = scoring.score(without, intake, profile)
        card_present = scoring.score(answers | {key: present}, intake, profile)
        if not any(item.key == key for criterion in card_missing.criteria for item in criterion.keys):
            # a question whose applies_when this intake does not meet is neither scored nor asked, answered or not
            assert key not in [item["key"] for item in card_missing.missing]
            assert card_missing.score == card_present.score
            continue
        if "inside the EEA" in key_score(card_missing, key).reason:
            # No transfer to justify: the sub-processor list is the evidence, and naming a mechanism adds nothing.
            assert key_score(card_missing, key).points == key_score(card_present, key).points
            continue
        assert key_score(card_missing, key).points == 0 <= key_score(card_present, key).points
        assert key_score(card_missing, key).status == "missing" and key in [
            item["key"] for item in card_missing.missing
        ]
        assert card_missing.score <= card_present.score + 1e-9


# --- weights renormalise -----------------------------------------------------------------------------------------------


def expected_weights(profile: scoring.Profile, intake: Intake, card: scoring.Scorecard) -> dict[str, float]:
    """Base weight × the multipliers of the intake's flags (criteria section 4.1), 0 where nothing is scored, over 100."""
    flags = intake.flags
    active = {
        "dora_cif": flags["dora_cif"],
        "high_risk_use": flags["high_risk_use"],
        "not_genai": not flags["genai"],
        "no_personal_data": not flags["personal_data"],
    }
    applies = {criterion.id: criterion.applies for criterion in card.criteria}
    raw = {}
    for criterion in profile.criteria:
        factor = math.prod(
            multipliers.get(criterion.id, 1.0) for flag, multipliers in profile.multipliers.items() if active[flag]
        )
        raw[criterion.id] = criterion.weight * factor if applies[criterion.id] else 0.0
    return {key: value / sum(raw.values()) * 100 for key, value in raw.items()}


@FAST
@given(answer_sets, intakes, profiles)
def test_criterion_weights_renormalise_to_100_and_the_score_is_their_weighted_sum(answers, intake, profile):
    card = scoring.score(answers, intake, profile)
    by_id = {criterion.id: criterion for criterion in profile.criteria}
    for criterion in card.criteria:
        # a criterion applies when one of its questions does for this intake (applies_when from the bank)
        flags = {"always", *(flag for flag, on in intake.flags.items() if on)}
        assert criterion.applies == any(flags & set(rule.applies_when) for rule in by_id[criterion.id].keys)
        if not criterion.applies or by_id[criterion.id].weight == 0:
            assert criterion.weight == 0
    assert sum(criterion.weight for criterion in card.criteria if criterion.applies) == pytest.approx(100, abs=1e-6)
    expected = expected_weights(profile, intake, card)
    assert {c.id: c.weight for c in card.criteria} == pytest.approx(expected, abs=1e-6)
    assert card.score == pytest.approx(sum(c.score * c.weight / 100 for c in card.criteria if c.applies), abs=1e-9)


def test_a_criterion_weighed_zero_by_the_intake_adds_nothing_however_it_scores():
    profile = _with_keys_in_c8(scoring.load_profile())
    intake = Intake.from_mapping({"genai": False})
    good = {key: _best(key) for key in ANSWER_KEYS}
    bad = good | {"audit_rights": dataclasses.replace(good["audit_rights"], value="no")}
    cards = [scoring.score(answers, intake, profile) for answers in (good, bad)]
    c8 = [next(c for c in card.criteria if c.id == "C8") for card in cards]
    # C10's unanswered bank questions score 0 too (profiles 2.0.0), so a good audit clause no longer makes it 100
    assert c8[0].score > c8[1].score == 0 and (c8[0].weight, c8[1].weight) == (0, 0)
    assert cards[0].score == cards[1].score
    genai = [scoring.score(answers, Intake.from_mapping({"genai": True}), profile) for answers in (good, bad)]
    assert genai[0].score > genai[1].score


# --- bounds ------------------------------------------------------------------------------------------------------------


@FAST
@given(answer_sets, intakes, profiles)
def test_scores_stay_within_their_bounds(answers, intake, profile):
    card = scoring.score(answers, intake, profile)
    assert 0 <= card.score <= 100
    for criterion in card.criteria:
        assert criterion.score is None or 0 <= criterion.score <= 100
        for key in criterion.keys:
            assert 0 <= key.raw <= profile.scale and 0 <= key.points <= key.max
            # transfer_mechanism may be scored from the sub-processor list when nothing leaves the EEA
            source = answers.get(key.key)
            if "inside the EEA" in key.reason:
                source = answers["subprocessors"]
            if key.status != "missing" and round(source.confidence, 2) < profile.low_confidence["below"]:
                assert key.raw <= profile.low_confidence["max"] and key.status in ("needs_review", "conflict")
    assert card.decision in (Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS, Decision.ESCALATE, Decision.REJECT)


# --- determinism and the answers hash ----------------------------------------------------------------------------------


def exported(answers: dict[str, Answer]) -> dict:
    """What `aivet extract --json` records of these answers."""
    return {"merged": {"answers": {key: item.to_json(with_file=True) for key, item in answers.items()}, "flags": []}}


@FAST
@given(answer_sets, intakes, profiles)
def test_the_same_inputs_give_the_same_scorecard_also_when_recomputed_from_the_json(answers, intake, profile):
    first, again = scoring.score(answers, intake, profile), scoring.score(dict(answers), intake, profile)
    assert first.to_json() == again.to_json() and first.answers_hash == again.answers_hash
    recomputed = scoring.score(scoring.answers_from_json(exported(answers)), intake, profile)
    assert recomputed.answers_hash == first.answers_hash
    assert recomputed.to_json() == first.to_json()


@st.composite
def changed(draw, answers: dict[str, Answer]) -> dict[str, Answer]:
    """The answers with one answer changed in what the extraction records: value, status, confidence or a source."""
    key = draw(st.sampled_from(ANSWER_KEYS))
    old = answers.get(key, Answer.not_found(key))
    how = draw(st.sampled_from(["replace", "value", "status", "confidence", "file", "quote"]))
    if how == "replace" or old.status == Status.NOT_FOUND:
        new = draw(answer_for(key))
    elif how == "value":
        new = dataclasses.replace(old, value=draw(VALUES[key]))
    elif how == "status":
        new = dataclasses.replace(
            old, status=draw(st.sampled_from([Status.ANSWERED, Status.CONFLICT, Status.NEEDS_REVIEW]))
        )
    elif how == "confidence":
        new = dataclasses.replace(old, confidence=draw(st.integers(0, 100).map(lambda n: n / 100)))
    else:
        first = old.evidence[0]
        swap = {"file": first.file + ".bak"} if how == "file" else {"quote": first.quote + " more"}
        new = dataclasses.replace(old, evidence=(dataclasses.replace(first, **swap),) + old.evidence[1:])
    assume(
        round(new.confidence, 2) != round(old.confidence, 2)
        or dataclasses.replace(new, confidence=old.confidence) != old
    )
    return answers | {key: new}


@FAST
@given(answer_sets, intakes, profiles, st.data())
def test_changing_any_answer_changes_the_hash(answers, intake, profile, data):
    other = data.draw(changed(answers))
    assert scoring.score(other, intake, profile).answers_hash != scoring.score(answers, intake, profile).answers_hash


@FAST
@given(answer_sets, intakes, profiles, st.data())
def test_answers_with_the_same_hash_get_the_same_scorecard(answers, intake, profile, data):
    # the hash fingerprints confidence to two decimals; a confidence that differs only below that must not change the score
    key = data.draw(st.sampled_from(sorted(answers) or ["audit_rights"]))
    assume(key in answers and answers[key].status != Status.NOT_FOUND)
    nudged = answers | {
        key: dataclasses.replace(
            answers[key], confidence=round(answers[key].confidence, 2) + data.draw(st.sampled_from([-0.004, 0.004]))
        )
    }
    assume(0 <= nudged[key].confidence <= 1)
    first, second = scoring.score(answers, intake, profile), scoring.score(nudged, intake, profile)
    assert first.answers_hash == second.answers_hash
    assert first.to_json() == second.to_json()
