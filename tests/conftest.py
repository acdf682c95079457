import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

import documents
import extraction
import extraction.engine
from aivet.access import Actor, Role
from aivet.settings import ReadLimits, Settings
from extraction import ANSWER_KEYS, answer_key, is_question_id
from extraction.model import squash
from store.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AIVET_SHARED") or REPO.parent / "shared")
POSTGRES_URL = os.environ.get("AIVET_TEST_POSTGRES_URL", "")

# Limits for tests: as in production, but a hostile file must not hold the suite for a minute.
TEST_LIMITS = ReadLimits(timeout_seconds=20)


def staff(name: str, role: Role = Role.PROCUREMENT) -> Actor:
    """A signed-in member of staff, for calling the workflows as the app would."""
    return Actor(name, role)


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not here: the project's reference corpus (../shared) is only beside a developer checkout"
        )
    return path


@pytest.fixture
def limits() -> ReadLimits:
    return TEST_LIMITS


def _postgres_database():
    """A fresh database on the test PostgreSQL server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL)
    name = f"aivet_test_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def workspace(request, tmp_path) -> Workspace:
    """A workspace on real SQLite, and on real PostgreSQL when AIVET_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        yield Workspace.open(Settings(data_dir=tmp_path, limits=TEST_LIMITS))
        return
    if not POSTGRES_URL:
        pytest.skip("AIVET_TEST_POSTGRES_URL is not set; .ci/run starts a PostgreSQL server and sets it")
    databases = _postgres_database()
    url = next(databases)
    workspace = Workspace.open(Settings(data_dir=tmp_path, database_url=url, limits=TEST_LIMITS))
    yield workspace
    workspace.engine.dispose()
    next(databases, None)


def assert_evidence_is_in_the_document(document, result) -> None:
    """DESIGN.md principle 1: every answer and flag quotes the document's own text at [start, end), on the right page."""
    keys = tuple(result.answers)
    assert keys[: len(ANSWER_KEYS)] == ANSWER_KEYS, "an extraction gives every answer key, in the contract's order"
    assert all(is_question_id(key) for key in keys[len(ANSWER_KEYS) :]), "then only bank questions a form answers"
    for key, answer in result.answers.items():
        assert answer.value is None or answer.evidence, f"{key} has a value but no evidence"
        if not is_question_id(key):
            assert answer_key(key).problem(answer.value) is None, f"{key}: {answer_key(key).problem(answer.value)}"
        for item in answer.evidence + tuple(quote for flag in result.flags for quote in flag.evidence):
            assert item.document_sha256 == document.sha256
            assert 0 <= item.start < item.end <= len(document.text), (
                f"{key}: span {item.start}-{item.end} is outside the text"
            )
            assert item.quote == squash(document.text[item.start : item.end]), (
                f"{key}: quote is not the text at its span"
            )
            assert item.page == document.page_at(item.start), (
                f"{key}: evidence is on page {document.page_at(item.start)}"
            )


def _checked(extract_document):
    def extract_and_check(document):
        result = extract_document(document)
        assert_evidence_is_in_the_document(document, result)
        return result

    return extract_and_check


def _checked_in_child(read_and_apply):
    """Extractions made in a reader child come back to the test process with their document: checked here."""

    def read_apply_and_check(data, filename, then, *args, **kwargs):
        document, outcome = read_and_apply(data, filename, then, *args, **kwargs)
        if isinstance(outcome, extraction.DocumentExtraction) and outcome.form is None:
            assert_evidence_is_in_the_document(document, outcome)
        return document, outcome

    return read_apply_and_check


# Every extraction any test makes (unit tests, CLI in-process, store, AppTest pages, reader children) is
# checked on the spot; the workflows import these names after this file has wrapped them.
extraction.engine.extract_document = extraction.extract_document = _checked(extraction.engine.extract_document)
documents.read_and_apply = _checked_in_child(documents.read_and_apply)


# Property tests draw the same examples on every run, so a CI failure can be reproduced locally; vary them by
# running with --hypothesis-seed.
hypothesis_settings.register_profile("aivet", derandomize=True, database=None)
hypothesis_settings.load_profile("aivet")


@pytest.fixture(autouse=True)
def no_admin_llm_settings():
    """LLM settings an administrator set in the app live in the process: no test leaves them to the next."""
    from aivet.settings import ADMIN_LLM

    ADMIN_LLM.set(None)
    yield
    ADMIN_LLM.set(None)
