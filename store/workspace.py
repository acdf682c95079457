"""A workspace: the database, the file store and the read limits, opened from settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from aivet.settings import LLMSettings, ReadLimits, Settings
from store.blobs import BlobStore

Row = TypeVar("Row")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # pragma: no cover - runs per connection
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic); safe to run on every start."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class InvalidInput(ValueError):
    """Input a person can correct; the message says what is wrong and what to do."""


@dataclass
class Workspace:
    engine: Engine
    blobs: BlobStore
    limits: ReadLimits
    llm: LLMSettings = field(default_factory=LLMSettings)  # off unless the settings switch it on
    data_dir: Path | None = None  # where the LLM answer cache and recordings live

    @classmethod
    def open(cls, settings: Settings | None = None) -> Workspace:
        settings = settings or Settings.from_env()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)
        blobs = BlobStore(settings.files_dir)
        blobs.remove_partial()
        return cls(engine, blobs, settings.limits, settings.llm, settings.data_dir)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole at the end, rolled back whole on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def get(self, model: type[Row], key: Any, missing: str) -> Row:
        """One row by its key, or `missing` (a sentence saying what to do) as InvalidInput."""
        with self.transaction() as session:
            row = session.get(model, key)
        if row is None:
            raise InvalidInput(missing)
        return row
