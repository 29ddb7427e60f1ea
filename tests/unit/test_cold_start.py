import gc
from collections.abc import Iterator

import pytest

from twin.entrypoints.aws.cold_start import collector_paused


@pytest.fixture(autouse=True)
def restored_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_paused_while_a_function_starts_and_what_it_made_is_frozen() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
        made_at_start = [object() for _ in range(100)]

    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made_at_start)


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass

    assert not gc.isenabled()


def test_a_start_that_fails_resumes_the_collector() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("bad settings")

    assert gc.isenabled()
