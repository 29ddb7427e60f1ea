import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from twin.composition import Services, build_services
from twin.settings import Settings

pytest_plugins = ["tests.fakes.fixtures"]

MARKDOWN_PROFILE = """\
# Sam Rivera

Staff engineer in Lisbon, building payment systems.

## Experience

### Staff Engineer, Acme Payments

I lead the payments platform team of eight engineers. We moved card settlement from nightly batches
to streaming with Kafka, which cut settlement time from 24 hours to 5 minutes.

### Software Engineer, Tidewater Bank

I built the bank's first public API in Go and Postgres.

## Skills

### Programming languages

Go, Python, SQL and a little Rust.

## Education

### BSc Computer Science, University of Porto

I graduated in 2012 with a thesis on distributed consensus.

## Goals

I want to lead an engineering organisation that builds financial infrastructure.
"""


@pytest.fixture(autouse=True)
def logs_hold_no_secrets(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Whatever the twin logs in any test: never a token, an API key or a question."""
    caplog.set_level(logging.DEBUG, logger="twin")
    yield
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("twin"))
    assert "eyJ" not in logged, "a JWT reached the log"
    assert "twk_" not in logged, "an API key reached the log"
    assert "twi_" not in logged, "an invite code reached the log"
    assert "?" not in logged, "a question reached the log"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path, index_path=":memory:")


@pytest.fixture
def empty_services(settings: Settings) -> Services:
    return build_services(settings)


@pytest.fixture
def services(empty_services: Services) -> Services:
    """Services over the small Markdown profile above."""
    empty_services.ingest.ingest(MARKDOWN_PROFILE)
    return empty_services
