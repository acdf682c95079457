import os
import uuid
from pathlib import Path

import pytest

from aivet.settings import ReadLimits, Settings
from store.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AIVET_SHARED") or REPO.parent / "shared")
POSTGRES_URL = os.environ.get("AIVET_TEST_POSTGRES_URL", "")

# Limits for tests: as in production, but a hostile file must not hold the suite for a minute.
TEST_LIMITS = ReadLimits(timeout_seconds=20)


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: the project's reference corpus (../shared) is only beside a developer checkout")
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
