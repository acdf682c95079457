"""The `aivet` command: a thin door onto the same core functions as the app.

Exit codes: 0 all files read, 1 any file rejected, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from aivet.names import terminal_safe
from aivet.settings import Settings
from documents import read_path

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def say(text: str = "", file=None) -> None:
    """One line of output; vendor text in it (file names, quotes) cannot drive the terminal."""
    print(terminal_safe(text), file=file or sys.stdout)


def say_json(data) -> None:
    print(terminal_safe(json.dumps(data, indent=2, ensure_ascii=False), keep="\n"))


def _read_one(path: Path, settings: Settings) -> dict:
    outcome = read_path(path, settings.limits)
    row = {
        "file": str(path),
        "sha256": outcome.sha256,
        "kind": None,
        "pages": 0,
        "chars": 0,
        "status": "rejected",
        "reason": None,
        "message": None,
        "warnings": [],
    }
    if outcome.rejection:
        return row | {"reason": outcome.rejection.reason.value, "message": outcome.rejection.message}
    document = outcome.document
    return row | {
        "kind": document.kind,
        "pages": len(document.pages),
        "chars": len(document.text),
        "status": "read",
        "warnings": list(document.warnings),
    }


def command_read(args: argparse.Namespace, settings: Settings) -> int:
    rows = [_read_one(Path(name), settings) for name in args.files]
    if args.json:
        say_json({"documents": rows})
    else:
        width = max(len(row["file"]) for row in rows)
        say(f"{'file':<{width}}  {'kind':<8}  {'pages':>5}  {'chars':>9}  status")
        for row in rows:
            status = row["status"] if row["status"] == "read" else f"rejected: {row['reason']}"
            say(f"{row['file']:<{width}}  {row['kind'] or '-':<8}  {row['pages']:>5}  {row['chars']:>9}  {status}")
    for row in rows:
        if row["status"] != "read":
            say(f"{row['file']}: {row['reason']}: {row['message']}", file=sys.stderr)
    return EXIT_OK if all(row["status"] == "read" for row in rows) else EXIT_REJECTED


def command_extract(args: argparse.Namespace, settings: Settings) -> int:
    from workflows import extract_files

    llm = None if args.no_llm else settings.llm
    run = extract_files([Path(name) for name in args.files], settings.limits, llm, settings.data_dir)
    for note in run.llm_notes:
        say(note, file=sys.stderr)
    if args.json:
        say_json(run.to_json())
    else:
        for item in run.documents:
            if item.extraction:
                say()
                say(f"{item.path} ({item.extraction.pages} pages)")
                _print_answers(item.extraction.answers)
        if len(run.read) > 1:
            say()
            say("merged")
            _print_answers(run.merged.answers)
        for flag in run.merged.flags:
            where = ", ".join(f"{item.file} p. {item.page}" for item in flag.evidence)
            say(f"flag {flag.code} ({where}): {flag.message}")
    for item in run.documents:
        if item.rejection:
            say(f"{item.path}: {item.rejection.reason.value}: {item.rejection.message}", file=sys.stderr)
        elif item.problem:
            say(f"{item.path}: extraction_failed: {item.problem}", file=sys.stderr)
    return EXIT_OK if all(item.extraction for item in run.documents) else EXIT_REJECTED


def _print_answers(answers: dict) -> None:
    from extraction import describe, pages_of

    for key, answer in answers.items():
        say(
            f"  {key:<34} {answer.status.value:<10} {answer.confidence:>4.2f}  {pages_of(answer):<12} {describe(answer)}"
        )


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _scorecards(args: argparse.Namespace, paths: list[Path]) -> list:
    from datetime import date

    from scoring import Intake, answers_from_file, load_profile, score

    profile = load_profile(args.profile)
    intake = Intake.from_file(Path(args.intake)) if args.intake else Intake.default()
    as_of = getattr(args, "as_of", None) or date.today()
    return [score(answers_from_file(path), intake, profile, as_of) for path in paths]


def command_score(args: argparse.Namespace, settings: Settings) -> int:
    [card] = _scorecards(args, [Path(name) for name in args.answers])
    if args.json:
        say_json(card.to_json())
        return EXIT_OK
    say(
        f"profile {card.profile_id} {card.profile_version} · tier {card.tier} · score {card.score:.1f} · {card.decision}"
    )
    for note in card.notes:
        say(f"note: {note}")
    for hit in card.knockouts:
        say(f"KNOCK-OUT {hit.id} ({hit.type}): {hit.title} — {hit.message} [{hit.basis}]")
    for criterion in card.criteria:
        if not criterion.applies:
            continue
        say(f"{criterion.id:<4} {criterion.name:<45} {criterion.score:5.1f}  weight {criterion.weight:4.1f}")
        say(f"     {criterion.explanation()}")
        for key in criterion.keys:
            pages = ", ".join(sorted({f"{item.file} p. {item.page}" for item in key.evidence}))
            say(
                f"     {key.key:<34} {key.points:4.1f}/{key.max:<4.1f} {key.reason}" + (f"  [{pages}]" if pages else "")
            )
    for item in card.expired:
        say(f"expired ({item['criterion']}): {item['key']} — {item['reason']}")
    for criterion, items in card.missing_by_criterion().items():
        for item in items:
            say(f"ask ({criterion}{', ' + item['question'] if item.get('question') else ''}): {item['ask']}")
    return EXIT_OK


def _named(argument: str) -> tuple[str, Path]:
    """`NAME=FILE` names the vendor (the answers JSON carries no vendor name); a bare file, or a file whose own
    name holds '=', is named by its stem."""
    name, given, file = argument.partition("=")
    if given and name.strip() and file and not Path(argument).exists():
        return name.strip(), Path(file)
    return Path(argument).stem, Path(argument)


def command_compare(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.compare import compare

    names, paths = zip(*(_named(argument) for argument in args.answers))
    comparison = compare(list(zip(names, _scorecards(args, list(paths)))))
    if args.json:
        say_json(comparison.to_json())
        return EXIT_OK
    width = 2 + max(12, *(len(name) for name in comparison.vendors))
    say(f"{'':<50}" + "".join(f"{name:>{width}}" for name in comparison.vendors))
    say(f"{'score':<50}" + "".join(f"{card.score:>{width}.1f}" for card in comparison.scorecards))
    say(f"{'decision':<50}" + "".join(f"{card.decision:>{width}}" for card in comparison.scorecards))
    say("knock-outs")  # titles are too long for a column: one line per vendor
    for name, cell in zip(comparison.vendors, comparison.knockouts):
        say(f"  {name:<48}{cell}")
    for row in comparison.rows:
        cells = "".join(f"{'—' if value is None else f'{value:.0f}':>{width}}" for value in row.scores)
        say(f"{row.id + ' ' + row.name:<50}{cells}")
    return EXIT_OK


def command_issue(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date, timedelta

    from scoring import Intake
    from workflows import find_vendor, issue_to_vendor, open_workspace

    workspace = open_workspace(settings)
    vendor = find_vendor(workspace, args.vendor)
    if vendor is None:
        raise ValueError(
            f"There is no vendor named '{args.vendor}'. Add it with `aivet vendor add NAME` or in the app, or check "
            "the spelling."
        )
    intake = Intake.from_file(Path(args.intake)) if args.intake else None
    due = date.fromisoformat(args.due) if args.due else date.today() + timedelta(days=14)
    # The file is written where --out says, or in the current folder: a place proven writable before anything
    # is recorded as sent, so a failed write never leaves a questionnaire tracked that nobody received.
    folder = Path(args.out).parent if args.out else Path.cwd()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".aivet-issue-", delete=False) as pending:
        pass
    try:
        issued = issue_to_vendor(
            workspace, vendor.id, args.format, due, intake, settings.operator, args.only_gaps, args.our_company
        )
        if issued.data is not None:
            Path(pending.name).write_bytes(issued.data)
            out = Path(args.out) if args.out else folder / issued.filename
            os.replace(pending.name, out)
    finally:
        Path(pending.name).unlink(missing_ok=True)
    questions = len(issued.issued.record.question_ids)
    if issued.data is not None:
        say(
            f"{out}: {questions} questions for {vendor.name}, due {due.isoformat()} "
            f"(questionnaire {issued.issued.record.id})."
        )
    else:
        say(f"{settings.public_url}/?token={issued.issued.token}")
        say(
            f"Send this link to {vendor.name}: {questions} questions, due {due.isoformat()}. It is shown only now.",
            file=sys.stderr,
        )
    return EXIT_OK


def command_setup(args: argparse.Namespace, settings: Settings) -> int:
    from aivet.demo import demo_accounts, load_demo
    from workflows import open_workspace, refresh_extractions

    workspace = open_workspace(settings)
    say(f"Database ready: {workspace.engine.url.render_as_string(hide_password=True)}")
    if args.demo:
        loaded = load_demo(workspace, settings.operator)
        say(
            f"Demo data: {loaded} files loaded; each vendor returned the whole questionnaire through its link."
            if loaded
            else "Demo data: the workspace already has vendors; nothing loaded."
        )
    if args.refresh:
        refreshed = refresh_extractions(workspace, None, settings.operator)
        say(f"Extracted again: {refreshed} document(s) read by an older engine.")
    if args.demo:
        say("Sign in to the demo with one of these accounts (one per role):")
        for line in demo_accounts(workspace, settings.operator, settings.data_dir):
            say(f"  {line}")
    return EXIT_OK


def command_user_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create an account; the password comes from standard input (one line), never from the command line."""
    from getpass import getpass

    from workflows import add_account, open_workspace

    password = None
    if not args.oidc_only:
        password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass("Password: ")
    add_account(open_workspace(settings), settings.operator, args.username, args.role, password, args.name, args.email)
    say(f"Account {args.username} ({args.role}) created.")
    return EXIT_OK


def command_vendor_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create a vendor, with our intake for its use (it sets the tier and the questions asked) or T2 assumed."""
    from scoring import Intake
    from workflows import create_vendor, open_workspace

    intake = Intake.from_file(Path(args.intake)) if args.intake else None
    vendor = create_vendor(open_workspace(settings), args.name, settings.operator, intake, args.owner or "")
    tier = intake.tier if intake else "T2 (assumed: no intake given)"
    say(f"Vendor {vendor.name} added (id {vendor.id}, tier {tier}).")
    return EXIT_OK


def command_vendor_list(args: argparse.Namespace, settings: Settings) -> int:
    from workflows import open_workspace, vendor_list

    vendors = vendor_list(open_workspace(settings))
    if args.json:
        say_json({"vendors": vendors})
        return EXIT_OK
    say(f"{'id':>4}  {'name':<40}{'tier':<6}{'owner':<20}next review")
    for vendor in vendors:
        tier = vendor["tier"] + ("*" if vendor["tier_assumed"] else "")
        say(f"{vendor['id']:>4}  {vendor['name']:<40}{tier:<6}{vendor['owner']:<20}{vendor['next_review_on'] or '—'}")
    if any(vendor["tier_assumed"] for vendor in vendors):
        say("* tier assumed: no intake given (aivet vendor add NAME --intake INTAKE.yaml, or the app)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aivet", description="AI-vendor due diligence with evidence behind every answer."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read", help="read vendor files and report pages, characters and status")
    read.add_argument("files", nargs="+", metavar="FILE")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.set_defaults(handler=command_read)
    extract = commands.add_parser(
        "extract", help="extract retention, training use, sub-processors and clause values, with page and quote"
    )
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument(
        "--json", action="store_true", help="print the JSON object of DESIGN.md (documents and merged)"
    )
    extract.add_argument(
        "--no-llm", action="store_true", help="do not ask the LLM this run, even when AIVET_LLM_MODEL configures one"
    )
    extract.set_defaults(handler=command_extract)
    for name, handler, text, answers in (
        (
            "score",
            command_score,
            "score one vendor's answers (the JSON of aivet extract) against a profile",
            {"nargs": 1, "metavar": "ANSWERS.json"},
        ),
        (
            "compare",
            command_compare,
            "score 2-5 vendors' answers on one profile and line them up",
            {
                "nargs": "+",
                "metavar": "[NAME=]ANSWERS.json",
                "help": "NAME= shows the vendor as NAME (default: the file's stem)",
            },
        ),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("answers", **answers)
        command.add_argument("--profile", default="eu-fintech-standard", help="profile id (default: %(default)s)")
        command.add_argument("--intake", metavar="INTAKE.yaml", help="our intake; without it tier T2 is assumed")
        command.add_argument("--json", action="store_true", help="print the scorecard as JSON")
        command.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            type=_day,
            help="the day the age of certificates and reports is judged on (default: today)",
        )
        command.set_defaults(handler=handler)
    issue = commands.add_parser(
        "issue", help="issue the questionnaire to a vendor as a fillable PDF, a spreadsheet or a link"
    )
    issue.add_argument("--vendor", required=True, help="the vendor's name as in the app")
    issue.add_argument("--format", required=True, choices=["pdf", "xlsx", "link"])
    issue.add_argument("--out", help="where to write the PDF or XLSX (default: a name in the current folder)")
    issue.add_argument("--only-gaps", action="store_true", help="ask only what the vendor's documents left open")
    issue.add_argument(
        "--intake", metavar="INTAKE.yaml", help="our intake; it selects the questions (default: tier T2)"
    )
    issue.add_argument("--due", metavar="YYYY-MM-DD", help="due date (default: in 14 days)")
    issue.add_argument("--our-company", default="our company", help="our name on the cover page")
    issue.set_defaults(handler=command_issue)
    setup = commands.add_parser("setup", help="create or migrate the database; optionally load demo data")
    setup.add_argument("--demo", action="store_true", help="load the demo vendors into an empty workspace")
    setup.add_argument(
        "--refresh", action="store_true", help="extract again every document read by an older engine (after an upgrade)"
    )
    setup.set_defaults(handler=command_setup)
    user = commands.add_parser("user", help="manage the accounts people sign in with")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser(
        "add", help="create an account; its password is read from standard input or asked for"
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["procurement", "legal", "security", "admin"])
    add.add_argument("--name", default="", help="the name shown in the app (default: the user name)")
    add.add_argument("--email", help="the e-mail an OIDC sign-in carries, to match it to this account")
    add.add_argument("--oidc-only", action="store_true", help="no password: the account signs in only through OIDC")
    add.set_defaults(handler=command_user_add)
    vendor = commands.add_parser("vendor", help="add and list vendors")
    vendor_commands = vendor.add_subparsers(dest="vendor_command", required=True)
    vendor_add = vendor_commands.add_parser("add", help="add a vendor, with our intake for its use")
    vendor_add.add_argument("name", metavar="NAME")
    vendor_add.add_argument(
        "--intake", metavar="INTAKE.yaml", help="our intake (scoring/intake.yaml); without it tier T2 is assumed"
    )
    vendor_add.add_argument("--owner", help="who answers for the vendor's review (default: the operator)")
    vendor_add.set_defaults(handler=command_vendor_add)
    vendor_list = vendor_commands.add_parser("list", help="list the vendors with tier, owner and next review")
    vendor_list.add_argument("--json", action="store_true", help="print one JSON object")
    vendor_list.set_defaults(handler=command_vendor_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    from aivet.access import Forbidden
    from scoring import AnswersError, IntakeError, ProfileError
    from workflows import InvalidInput

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, Settings.from_env())
    except (AnswersError, IntakeError, ProfileError, InvalidInput, Forbidden, ValueError, OSError) as problem:
        say(f"aivet {args.command}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
