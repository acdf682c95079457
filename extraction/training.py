"""Training use of customer data: never · opt_in · opt_out · yes · unclear, read from polarity and scope."""

from __future__ import annotations

import re

from .answers import answered, conflicting, unique
from .lexicon import lexicon, pattern
from .matching import candidates
from .model import Answer, Evidence, Method, Status
from .passages import Passages, answer_part

_TRAIN = re.compile(
    r"\b(?:train(?:s|ed|ing)?|retrain\w*|fine[- ]?tun\w*|machine learning|model (?:improvement|development))\b", re.I
)
# A quoted option ("choosing “No”") is a setting's name, not a negation.
_QUOTED_OPTION = re.compile(r"[“\"‘']\s*(?:no|yes)\s*[”\"’']", re.I)
_NEGATION_WINDOW = 150
_FOLLOWING = 2  # sentences after a statement that may qualify it

# Which label wins when passages disagree: a stated mechanism beats a bare statement.
_PRECEDENCE = ("opt_out", "opt_in", "never", "yes", "unclear")


def _label(text: str) -> str | None:
    """The training position one passage states, or None when it does not speak to customer data use.

    In a questionnaire row ("Do you train on our data? | No, never") only the answer after the
    question speaks; the question's own words would read as a statement."""
    rules = lexicon()["training"]
    text = answer_part(text)
    if re.match(r"no\b", text):
        return "never"
    text = pattern(rules["not_a_negation"]).sub(" ", pattern(rules["people_training"]).sub(" ", text))
    if pattern(rules["hypothetical"]).search(text):
        return None
    opt_out = pattern(rules["opt_out"]).search(text)
    text = _QUOTED_OPTION.sub(" OPTION ", text)
    about_customer = pattern(rules["customer_data"]).search(text)
    train = _TRAIN.search(text)
    opt_in = pattern(rules["opt_in"]).search(text)
    affirmative = pattern(rules["affirmative"]).search(text)
    if train:
        window = text[max(0, train.start() - _NEGATION_WINDOW) : train.start()]
        if pattern(rules["negation"]).search(window):
            return "opt_in" if opt_in else "never"
        if pattern(rules["not_customer_content"]).search(text) and not pattern(rules["customer_data"]).search(
            pattern(rules["not_customer_content"]).sub(" ", text)
        ):
            return None  # de-identified, aggregated or feedback data: not the customer's content
        if (affirmative or about_customer) and pattern(rules["conditional_opt_in"]).search(text):
            return "opt_in"
        if opt_out and (about_customer or affirmative):
            return "opt_out"
        if opt_in and about_customer:
            return "opt_in"
        if affirmative and about_customer:
            return "yes"
        return None
    if pattern(rules["purpose_limited"]).search(text):
        return "never"
    if affirmative and about_customer:
        return "opt_out" if opt_out else "yes"
    if pattern(rules["vague"]).search(text):
        return "unclear"
    return None


def _scope(texts: list[str]) -> str | None:
    """The plans or products the deciding statements are limited to, as they name them."""
    scopes = pattern(r"\b(?:" + "|".join(lexicon()["training"]["scope_words"]) + r")\b")
    found = sorted({match.group(0).lower() for text in texts for match in scopes.finditer(text)})
    return ", ".join(found) or None


_CLAUSE_BREAK = re.compile(r";\s+|,?\s+(?:but|however|whereas|while)\s+|\.\s+(?=[a-z])")
# Which claims decide: those about a business plan, then those about no plan in particular, then consumer ones.
_SCOPE_ORDER = ("business", "any", "enterprise", "consumer")


def _claims(text: str) -> list[tuple[str, str]]:
    """(label, plan scope) of each clause of a passage that states a training position."""
    rules = lexicon()["training"]
    claims = []
    for clause in _CLAUSE_BREAK.split(text):
        label = _label(clause)
        if label:
            scope = next(
                (
                    name
                    for name in ("business", "enterprise", "consumer")
                    if pattern(rules[f"{name}_scope"]).search(clause)
                ),
                "any",
            )
            claims.append((label, scope))
    if len(claims) > 1 and len({label for label, _ in claims}) > 1 and "any" in {scope for _, scope in claims}:
        whole = _label(text)  # "… not used for training unless you opt in" reads right only whole
        if whole in ("opt_in", "opt_out"):
            return [(whole, "any")]
    return claims


def extract_training_use(passages: Passages, excluded: frozenset[int]) -> Answer:
    """The default position for customer content on a business plan, from the claims each passage makes."""
    by_scope: dict[str, dict[str, list[tuple[float, Evidence, str]]]] = {}
    for candidate in candidates(passages, "training_use", excluded):
        passage = candidate.passage
        text = passages.lowered[passage.index]
        if text.rstrip("*_ ").endswith("?"):
            label, evidence = _answer_below(passages, passage, excluded)
            claims = [(label, "any")] if label else []
        elif (by_plan := _plan_cells(passages, passage)) is not None:
            evidence, claims = passages.passage_evidence(passage), by_plan
        else:
            evidence = passages.passage_evidence(passage)
            claims = _claims(text)
            if any(label == "yes" for label, _ in claims) and (way_out := _way_out_below(passages, passage, excluded)):
                claims, evidence = [("opt_out", scope) for _, scope in claims], way_out[1]
        for label, scope in claims:
            by_scope.setdefault(scope, {}).setdefault(label, []).append((candidate.relevance, evidence, text))
    if not by_scope:
        return Answer.not_found("training_use")
    found = by_scope[next(scope for scope in _SCOPE_ORDER if scope in by_scope)]
    label = next(item for item in _PRECEDENCE if item in found)
    support = found[label]
    evidence = [item[1] for item in support]
    value = {"label": label, "scope": _scope([item[2] for item in support])}
    confidence = 0.55 + 0.35 * max(item[0] for item in support)
    if label == "never" and "yes" in found:
        note = "The document both rules out and states training on customer data."
        return conflicting(
            "training_use",
            value | {"label": "yes"},
            evidence + [item[1] for item in found["yes"]],
            confidence,
            note,
            rule="training.claims_disagree",
        )
    exception = pattern(lexicon()["training"]["exception"])
    carved_out = [item[1] for item in support if label == "never" and exception.search(item[2])]
    if carved_out:
        note = f"The no-training statement makes an exception; a reviewer should read it: “{carved_out[0].quote}”"
        return Answer(
            "training_use",
            value,
            Status.NEEDS_REVIEW,
            min(confidence, 0.5),
            Method.RULE,
            unique(evidence),
            note,
            "training.never_with_exception",
        )
    return answered("training_use", value, evidence, confidence, rule=f"training.claims.{label}")


def _plan_cells(passages: Passages, row) -> list[tuple[str, str]] | None:
    """A table row about training whose columns are plans ("Used to train models | Yes | Never" under "| Free |
    Enterprise |"): one claim per plan column, scoped by its header. None for any other passage."""
    cells = passages.cells(row)
    header = _header_cells(passages, row)
    if not cells or not header or len(header) > len(cells) or not _TRAIN.search(cells[0]):
        return None
    header = ("",) * (len(cells) - len(header)) + header  # a comparison table leaves its corner cell empty
    rules = lexicon()["training"]
    plans = {scope: pattern(source) for scope, source in rules["plan_columns"].items()}
    answers = {label: pattern(source) for label, source in rules["cell_answers"].items()}
    claims = []
    for title, cell in zip(header[1:], cells[1:]):
        scope = next((name for name, regex in plans.items() if regex.search(title)), None)
        value = " ".join(cell.split()).strip(" *_").lower()
        label = next((name for name, regex in answers.items() if regex.search(value)), None) or _label(value)
        if scope and label:
            claims.append((label, scope))
    return claims if claims else None


def _header_cells(passages: Passages, row) -> tuple[str, ...] | None:
    """The cells of the header row of the table a row belongs to."""
    if row.block < 0:
        return None
    table = passages.blocks[row.block].table
    for number in range(row.block - 1, -1, -1):
        block = passages.blocks[number]
        if block.kind != "table_row" or block.table != table:
            return None
        if block.header:
            return tuple(passages.document.text[start:end] for start, end in block.cells)
    return None


def _answer_below(passages: Passages, question, excluded: frozenset[int]) -> tuple[str | None, Evidence | None]:
    """A question ("Will my data be used to train…?") answered by "No." or "Yes, …" just below it.

    A question alone states nothing, so without such an answer it gives no label."""
    for passage in passages.items[question.index + 1 : question.index + 1 + _FOLLOWING]:
        if passage.index in excluded:
            return None, None
        reply = answer_part(passages.lowered[passage.index])
        label = _label(reply) or ("yes" if re.match(r"yes\b", reply) else None)
        if label:
            return label, passages.evidence(question.start, passage.end)
    return None, None


def _way_out_below(passages: Passages, statement, excluded: frozenset[int]) -> tuple[str, Evidence] | None:
    """A stated use followed by "You can opt out …" in the next sentences is opt_out, quoted together."""
    opt_out = pattern(lexicon()["training"]["opt_out"])
    for passage in passages.items[statement.index + 1 : statement.index + 1 + _FOLLOWING]:
        if passage.index in excluded:
            return None
        if opt_out.search(passages.lowered[passage.index]):
            return "opt_out", passages.evidence(statement.start, passage.end)
    return None
