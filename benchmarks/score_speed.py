"""Scoring speed: `scoring.score` over 10,000 synthetic vendors against json.dumps of the same answers, same run.

The vendors are generated deterministically (random.Random(seed)) as `extraction.Answer` objects for the
nine answer keys, with the value shapes of DESIGN.md ("The answer keys"), a mix of answered, not_found,
conflict and needs_review statuses, low-confidence answers, and evidence from files named like a DPA,
a FAQ, a questionnaire or a whitepaper (so every evidence cap of a profile is exercised). A few intakes
(tiers T1-T4, with and without personal data, GenAI or not, DORA critical function, AI Act high-risk)
are spread over the vendors. Generation is timed apart from scoring.

The baseline is json.dumps of the same 10,000 answer sets (as the JSON the CLI writes), run in turn with
scoring, round by round; the median of the rounds is reported, and the ratio against the baseline is
what to compare across machines. The target is < 2 s for 10,000 vendors on the standard profile (a
2-core machine); the other shipped profiles are timed too. When the target is missed, or with
--cprofile, cProfile shows where the time goes.

    python benchmarks/score_speed.py [--vendors 10000] [--seed 2026] [--rounds 3] [--profiles eu-fintech-standard,...] [--cprofile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import sys
import time
from collections import Counter

from common import REPO, alternating_rounds, median, write_result

from extraction import ANSWER_KEYS, Answer, Evidence, Method, Status
from scoring import Intake, available_profiles, load_profile, score
from scoring.answers import answers_from_json

TARGET_SECONDS = 2.0
MAIN_PROFILE = "eu-fintech-standard"
EXTRA_PROFILES = ("dora-critical", "ai-act-high-risk")

# The files evidence is quoted from: contract (cap 4), marketing (2), questionnaire (3, or 2 in T1 profiles),
# documentation (3).
FILES = ("dpa.pdf", "faq.html", "questionnaire.xlsx", "security-whitepaper.pdf", "master-services-agreement.pdf")
FILE_WEIGHTS = (4, 2, 3, 1, 1)
STATUS_WEIGHTS = {Status.ANSWERED: 76, Status.NOT_FOUND: 12, Status.CONFLICT: 8, Status.NEEDS_REVIEW: 4}
COUNTRIES = (
    "Germany",
    "Ireland",
    "Netherlands",
    "France",
    "United States",
    "India",
    "United Kingdom",
    "Switzerland",
    "Global",
    "Germany, United States",
    "",
)
PURPOSES = ("hosting", "model inference", "support", "analytics", "email delivery", "monitoring")
VENDORS = (
    "Amazon Web Services",
    "Microsoft Azure",
    "Google Cloud",
    "OpenAI",
    "Anthropic",
    "Zendesk",
    "Datadog",
    "Snowflake",
    "Twilio",
    "Hetzner",
    "OVHcloud",
    "Scaleway",
)
MECHANISMS = ("SCC", "UK Addendum", "Swiss Addendum", "DPF", "BCR", "adequacy")

# A few intakes: the tiers and flags the profiles branch on.
INTAKES = (
    Intake(),  # T2: customer personal data, GenAI
    Intake(critical_function="yes", personal_data="customers", data_class="strictly_confidential"),  # T1 dora_cif
    Intake(
        ai_act_use="high_risk",
        personal_data="special",
        genai=False,
        gpai_based=False,
        autonomy="decision_support",
        non_eea="no",
    ),  # T1 high-risk ML (credit scoring)
    Intake(personal_data="employees", data_class="internal", non_eea="no"),  # T3
    Intake(personal_data="none", data_class="public", genai=True),  # T4
    Intake(
        critical_function="unsure", ai_act_use="high_risk", personal_data="customers", customer_facing=True
    ),  # T1 both
)


def _evidence(rng: random.Random, key: str) -> tuple[Evidence, ...]:
    items = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        file = rng.choices(FILES, FILE_WEIGHTS)[0]
        page = rng.randint(1, 40)
        start = rng.randint(0, 50_000)
        quote = f"{key.replace('_', ' ')}: clause {rng.randint(1, 30)}.{rng.randint(1, 9)} of {file}"
        items.append(Evidence(f"{rng.getrandbits(256):064x}", page, start, start + len(quote), quote, file))
    return tuple(items)


def _value(rng: random.Random, key: str):
    """A value of the shape DESIGN.md gives for `key` (null where the document gives words, not a number)."""
    if key == "retention":
        return [
            {
                "data_category": rng.choice(("prompts", "outputs", "logs", "backups", "account data")),
                "period_days": rng.choice((0, 7, 30, 30, 90, 365, None)),
                "condition": rng.choice(("", "unless legally required", "after termination")),
            }
            for _ in range(rng.randint(1, 4))
        ]
    if key == "retention_days":
        return rng.choice((0, 0, 7, 30, 30, 45, 90, 180, 365, 730, 2555, None))
    if key == "training_use":
        return {
            "label": rng.choices(("never", "opt_in", "opt_out", "yes", "unclear"), (50, 15, 15, 5, 15))[0],
            "scope": rng.choice(("inputs and outputs", "feedback", "all customer content", "metadata")),
        }
    if key == "subprocessors":
        return [
            {"name": rng.choice(VENDORS), "country": rng.choice(COUNTRIES), "purpose": rng.choice(PURPOSES)}
            for _ in range(rng.randint(1, 25))
        ]
    if key == "subprocessor_change_notice_days":
        return {
            "value": rng.choice((None, 0, 7, 14, 30, 30, 45, 60, 90)),
            "objection_window_days": rng.choice((None, None, 14, 30)),
        }
    if key == "transfer_mechanism":
        return rng.sample(MECHANISMS, rng.randint(0, 3))
    if key == "breach_notification_hours":
        return rng.choice((12, 24, 24, 36, 48, 48, 72, 72, 96, None))
    if key == "audit_rights":
        return rng.choices(("yes", "limited", "no"), (40, 45, 15))[0]
    if key == "deletion_on_termination_days":
        return {
            "value": rng.choice((None, 7, 14, 30, 30, 60, 90, 180)),
            "obligation": rng.choice(("delete", "delete or return", "return then delete")),
        }
    raise KeyError(key)


def vendor_answers(rng: random.Random) -> dict[str, Answer]:
    answers = {}
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for key in ANSWER_KEYS:
        status = rng.choices(statuses, weights)[0]
        if status == Status.NOT_FOUND:
            answers[key] = Answer.not_found(key)
            continue
        confidence = round(rng.choice((0.3, 0.45, 0.6, 0.8, 0.8, 0.9, 0.95, 1.0)), 2)
        method = rng.choice((Method.RULE, Method.RULE, Method.LLM, Method.FORM))
        note = "two documents disagree; the worse answer is kept" if status == Status.CONFLICT else ""
        answers[key] = Answer(key, _value(rng, key), status, confidence, method, _evidence(rng, key), note)
    return answers


def generate(count: int, seed: int) -> tuple[list[dict[str, Answer]], list[Intake], list[dict]]:
    """`count` vendors' answers, their intakes and their answers as the JSON the CLI writes (for the baseline)."""
    rng = random.Random(seed)
    vendors = [vendor_answers(rng) for _ in range(count)]
    intakes = [INTAKES[index % len(INTAKES)] for index in range(count)]
    as_json = [
        {"answers": {key: answer.to_json(with_file=True) for key, answer in answers.items()}} for answers in vendors
    ]
    return vendors, intakes, as_json


def check_shapes(as_json: list[dict]) -> None:
    """Every generated answer set passes the same checks as `aivet score` input (so it is realistic)."""
    for index, data in enumerate(as_json):
        answers_from_json(data, f"synthetic vendor {index}")


def score_all(vendors, intakes, profile) -> dict:
    started = time.perf_counter()
    decisions = Counter(score(answers, intake, profile).decision for answers, intake in zip(vendors, intakes))
    return {"seconds": time.perf_counter() - started, "decisions": dict(sorted(decisions.items()))}


def dump_all(as_json: list[dict]) -> dict:
    started = time.perf_counter()
    size = sum(len(json.dumps(data, ensure_ascii=False)) for data in as_json)
    return {"seconds": time.perf_counter() - started, "chars": size}


def where_time_goes(vendors, intakes, profile, top: int = 15) -> dict:
    """cProfile of one scoring pass: the engine's steps by cumulative time, and the functions with the
    most time of their own. Shares are of the profiled total (cProfile slows everything, roughly evenly)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for answers, intake in zip(vendors, intakes):
        score(answers, intake, profile)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        short = file.split("/site-packages/")[-1]
        if "/lib/python3" in short:  # the standard library: json/encoder.py, dataclasses.py, re/__init__.py
            short = short.split("/lib/python3")[-1].split("/", 1)[-1]
        elif str(REPO) in short:
            short = short.split(f"{REPO}/")[-1]
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": calls,
                "own_seconds": round(own, 3),
                "cumulative_seconds": round(cumulative, 3),
                "cumulative_share": round(cumulative / total, 3),
            }
        )
    ours = [row for row in rows if row["function"].startswith(("scoring/", "extraction/"))]
    return {
        "profiled_total_seconds": round(total, 3),
        "engine_steps_by_cumulative_time": sorted(ours, key=lambda row: row["cumulative_seconds"], reverse=True)[:top],
        "top_own_time": sorted(rows, key=lambda row: row["own_seconds"], reverse=True)[:top],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profiles",
        default=",".join((MAIN_PROFILE, *EXTRA_PROFILES)),
        help="comma-separated profile ids; the first is held to the target",
    )
    parser.add_argument("--cprofile", action="store_true", help="show where the time goes even when the target is met")
    args = parser.parse_args()

    shipped = set(available_profiles())
    wanted = [name for name in args.profiles.split(",") if name]
    missing = [name for name in wanted if name not in shipped and not name.endswith((".yaml", ".yml"))]
    if missing:
        kept = [name for name in wanted if name not in missing]
        print(f"Note: profile(s) {', '.join(missing)} not shipped here; timing {', '.join(kept) or 'nothing'}.")
    profiles = [load_profile(name) for name in wanted if name not in missing]
    if not profiles:
        print("Skipped: no profile to score with.")
        sys.exit(0)

    started = time.perf_counter()
    vendors, intakes, as_json = generate(args.vendors, args.seed)
    generation_seconds = time.perf_counter() - started
    started = time.perf_counter()
    check_shapes(as_json)
    check_seconds = time.perf_counter() - started

    for profile in profiles:  # warm-up: caches (EEA list, regex) and imports before the clock
        for answers, intake in zip(vendors[:50], intakes[:50]):
            score(answers, intake, profile)

    sides = {"json_dumps": lambda: dump_all(as_json)}
    sides |= {profile.id: (lambda profile=profile: score_all(vendors, intakes, profile)) for profile in profiles}
    runs = alternating_rounds(args.rounds, sides)
    baseline = median(runs["json_dumps"])

    main_profile = profiles[0]
    result = {
        "vendors": args.vendors,
        "seed": args.seed,
        "rounds": args.rounds,
        "intakes": len(INTAKES),
        "tiers": dict(sorted(Counter(intake.tier for intake in intakes).items())),
        "statuses": dict(
            sorted(Counter(str(answer.status) for answers in vendors for answer in answers.values()).items())
        ),
        "generation_seconds": round(generation_seconds, 3),
        "shape_check_seconds": round(check_seconds, 3),
        "baseline_json_dumps": {
            "seconds": round(baseline, 4),
            "vendors_per_second": round(args.vendors / baseline),
            "chars": runs["json_dumps"][0]["chars"],
        },
        "profiles": {},
        "target": {"profile": main_profile.id, "seconds": TARGET_SECONDS},
    }
    for profile in profiles:
        seconds = median(runs[profile.id])
        result["profiles"][profile.id] = {
            "version": profile.version,
            "seconds": round(seconds, 3),
            "vendors_per_second": round(args.vendors / seconds),
            "ms_per_vendor": round(seconds / args.vendors * 1000, 4),
            "time_ratio_over_json_dumps": round(seconds / baseline, 2),
            "rounds_seconds": [round(run["seconds"], 3) for run in runs[profile.id]],
            "decisions": runs[profile.id][0]["decisions"],
        }
    main_seconds = median(runs[main_profile.id])
    # The target is for 10,000 vendors; with --vendors N it is scaled to N.
    target = TARGET_SECONDS * args.vendors / 10_000
    passed = main_seconds < target
    result["target"] |= {"scaled_to_vendors": round(target, 3), "passed": passed}
    if not passed or args.cprofile:
        result["cprofile"] = where_time_goes(vendors, intakes, main_profile)
    write_result("score_speed", result)
    verdict = "PASS" if passed else "FAIL"
    print(
        f"{verdict}: {args.vendors} vendors scored on {main_profile.id} in {main_seconds:.3f} s "
        f"({args.vendors / main_seconds:,.0f} vendors/s, {main_seconds / baseline:.1f}x json.dumps of the same answers); "
        f"target < {target:g} s."
    )


if __name__ == "__main__":
    main()
