"""Which calls leave the event loop: only those that can wait on the network, in a process serving many requests."""

from pathlib import Path

import pytest

from twin.composition import Services
from twin.settings import Secret, Settings


@pytest.mark.parametrize(
    ("cloud", "concurrent", "offloads"),
    [(False, True, False), (True, True, True), (True, False, False), (False, False, False)],
    ids=["embedded server", "cloud server", "cloud Lambda function", "embedded Lambda function"],
)
def test_a_call_goes_to_the_thread_pool_only_when_it_can_wait_and_other_requests_could_run_meanwhile(
    tmp_path: Path, cloud: bool, concurrent: bool, offloads: bool
) -> None:
    key = Secret("gsk-test") if cloud else None
    settings = Settings(state_dir=tmp_path, index_path=":memory:", groq_api_key=key)

    assert Services(settings, concurrent=concurrent).offloads is offloads
