from tests.fakes import FakeClock
from twin.adapters.memory_sessions import MemorySessionStore
from twin.domain.answers import Turn


def turn(number: int) -> Turn:
    return Turn(question=f"q{number}", answer=f"a{number}")


def test_history_keeps_only_the_most_recent_turns() -> None:
    store = MemorySessionStore(ttl_seconds=60, max_turns=2)
    for number in range(3):
        store.append("session-1", turn(number))

    assert store.history("session-1") == [turn(1), turn(2)]


def test_an_idle_session_expires_and_activity_extends_it() -> None:
    clock = FakeClock()
    store = MemorySessionStore(ttl_seconds=60, max_turns=5, clock=clock)
    store.append("session-1", turn(1))
    clock.now += 50
    store.append("session-1", turn(2))
    clock.now += 50

    assert store.history("session-1") == [turn(1), turn(2)]
    clock.now += 10
    assert store.history("session-1") == []


def test_delete_forgets_a_session_and_says_whether_it_existed() -> None:
    store = MemorySessionStore(ttl_seconds=60, max_turns=5)
    store.append("session-1", turn(1))

    assert store.delete("session-1") is True
    assert store.history("session-1") == []
    assert store.delete("session-1") is False


def test_the_oldest_session_leaves_when_the_store_is_full() -> None:
    store = MemorySessionStore(ttl_seconds=60, max_turns=5, max_sessions=2)
    for name in ("s-1", "s-2", "s-3"):
        store.append(name, turn(1))

    assert store.history("s-1") == []
    assert store.history("s-3") == [turn(1)]
