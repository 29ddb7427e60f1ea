import sqlite3
import stat
from pathlib import Path

from tests.fakes import FakeClock
from twin.adapters.sqlite_question_log import SWEEP_EVERY, SqliteQuestionLog
from twin.domain.question_log import DAY_SECONDS, Channel, LoggedQuestion, Retention

RETENTION = Retention(days=30, max_entries=1000)


def entry(question: str, asked_at: float, channel: Channel = Channel.REST) -> LoggedQuestion:
    return LoggedQuestion(question, asked_at, channel, answered=False, sections=("a" * 24,))


def open_log(path: Path, clock: FakeClock, retention: Retention = RETENTION) -> SqliteQuestionLog:
    return SqliteQuestionLog(str(path), retention=retention, clock=clock)


def stored_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM questions ORDER BY asked_at").fetchall()


def test_an_entry_reads_back_whole_and_is_stored_as_these_five_fields_only(tmp_path: Path) -> None:
    clock = FakeClock()
    log = open_log(tmp_path / "questions.db", clock)
    logged = LoggedQuestion("Where do you work?", clock.now, Channel.PUBLIC_MCP, True, ("a" * 24, "b" * 24))

    log.add(logged)

    assert log.since(0) == [logged]
    with sqlite3.connect(tmp_path / "questions.db") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(questions)")]
    assert columns == ["asked_at", "channel", "question", "answered", "sections"]
    assert stored_rows(tmp_path / "questions.db") == [
        (clock.now, "public_mcp", "Where do you work?", 1, f'["{"a" * 24}", "{"b" * 24}"]')
    ]


def test_the_file_is_private_to_its_owner(tmp_path: Path) -> None:
    open_log(tmp_path / "state" / "questions.db", FakeClock()).add(entry("q", 1000.0))

    assert stat.S_IMODE((tmp_path / "state" / "questions.db").stat().st_mode) == 0o600


def test_entries_come_back_oldest_first_from_the_start_asked_for(tmp_path: Path) -> None:
    clock = FakeClock()
    log = open_log(tmp_path / "questions.db", clock)
    for number in (3, 1, 2):
        log.add(entry(f"question {number}", clock.now + number))

    assert [each.question for each in log.since(clock.now + 2)] == ["question 2", "question 3"]


def test_an_entry_past_keeping_is_never_read_and_is_deleted_when_the_log_next_opens(tmp_path: Path) -> None:
    clock = FakeClock()
    clock.now = 100 * DAY_SECONDS
    log = open_log(tmp_path / "questions.db", clock)
    log.add(entry("old", clock.now - 31 * DAY_SECONDS))
    log.add(entry("recent", clock.now - 29 * DAY_SECONDS))

    assert [each.question for each in log.since(0)] == ["recent"]
    assert len(stored_rows(tmp_path / "questions.db")) == 2, "swept at most once per SWEEP_EVERY writes"
    open_log(tmp_path / "questions.db", clock)
    assert [row[2] for row in stored_rows(tmp_path / "questions.db")] == ["recent"]


def test_writes_sweep_the_log_once_every_so_many(tmp_path: Path) -> None:
    clock = FakeClock()
    clock.now = 100 * DAY_SECONDS
    log = open_log(tmp_path / "questions.db", clock)
    log.add(entry("old", clock.now - 31 * DAY_SECONDS))
    for number in range(SWEEP_EVERY - 2):
        log.add(entry(f"question {number}", clock.now))
    assert len(stored_rows(tmp_path / "questions.db")) == SWEEP_EVERY - 1

    log.add(entry("the hundredth write", clock.now))

    assert len(stored_rows(tmp_path / "questions.db")) == SWEEP_EVERY - 1, "the old one went"


def test_beyond_its_size_bound_the_log_keeps_the_newest(tmp_path: Path) -> None:
    clock = FakeClock()
    log = open_log(tmp_path / "questions.db", clock, Retention(days=30, max_entries=100))
    for number in range(110):
        log.add(entry(f"question {number}", clock.now + number))
    open_log(tmp_path / "questions.db", clock, Retention(days=30, max_entries=100))

    rows = stored_rows(tmp_path / "questions.db")
    assert (len(rows), rows[0][2], rows[-1][2]) == (100, "question 10", "question 109")


def test_a_purge_deletes_what_was_asked_before_a_moment_or_everything(tmp_path: Path) -> None:
    clock = FakeClock()
    log = open_log(tmp_path / "questions.db", clock)
    for number in range(4):
        log.add(entry(f"question {number}", clock.now + number))

    assert log.purge(before=clock.now + 2) == 2
    assert [each.question for each in log.since(0)] == ["question 2", "question 3"]
    assert log.purge() == 2
    assert stored_rows(tmp_path / "questions.db") == []
