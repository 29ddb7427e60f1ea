from pathlib import Path

from twin.adapters.sqlite_answer_store import SqliteApprovedAnswerStore
from twin.domain.faq import ApprovedAnswer

FIRST = ApprovedAnswer("ans_000000000001", "What is your notice period?", "Four weeks.", "2026-01-02T00:00:00+00:00")
SECOND = ApprovedAnswer("ans_000000000002", "Can you drive?", "Yes, «clean licence».", "2026-01-01T00:00:00+00:00")


def test_answers_are_listed_oldest_first_and_removed_by_id(tmp_path: Path) -> None:
    store = SqliteApprovedAnswerStore(str(tmp_path / "index.db"), "alice")
    store.add(FIRST)
    store.add(SECOND)

    assert store.list() == [SECOND, FIRST]
    assert store.remove(FIRST.id) is True
    assert store.remove(FIRST.id) is False
    assert store.list() == [SECOND]


def test_answers_outlive_the_process_and_belong_to_their_twin(tmp_path: Path) -> None:
    path = str(tmp_path / "index.db")
    SqliteApprovedAnswerStore(path, "alice").add(FIRST)

    assert SqliteApprovedAnswerStore(path, "alice").list() == [FIRST]
    assert SqliteApprovedAnswerStore(path, "bob").list() == []
    assert SqliteApprovedAnswerStore(path, "bob").remove(FIRST.id) is False
