from tests.fakes import FakeClock
from twin.adapters.memory_rate_limiter import MemoryRateLimiter
from twin.domain.rate_limits import RateLimit

THREE_PER_MINUTE = RateLimit(requests=3, window_seconds=60)


def test_a_client_may_use_its_whole_allowance_then_is_refused_with_a_retry_time() -> None:
    limiter = MemoryRateLimiter(clock=FakeClock())

    decisions = [limiter.hit("ip:1", THREE_PER_MINUTE) for _ in range(4)]

    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert [decision.remaining for decision in decisions] == [2, 1, 0, 0]
    assert decisions[-1].retry_after_seconds == 20
    assert decisions[-1].reset_seconds == 60


def test_the_allowance_comes_back_at_the_sustained_rate() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    for _ in range(3):
        limiter.hit("ip:1", THREE_PER_MINUTE)

    clock.now += 19
    assert not limiter.hit("ip:1", THREE_PER_MINUTE).allowed
    clock.now += 1
    assert limiter.hit("ip:1", THREE_PER_MINUTE).allowed


def test_clients_have_separate_allowances() -> None:
    limiter = MemoryRateLimiter(clock=FakeClock())
    for _ in range(3):
        limiter.hit("ip:1", THREE_PER_MINUTE)

    assert limiter.hit("ip:2", THREE_PER_MINUTE).allowed


def test_the_least_recently_seen_client_is_forgotten_when_full() -> None:
    limiter = MemoryRateLimiter(max_keys=1, clock=FakeClock())
    for _ in range(3):
        limiter.hit("ip:1", THREE_PER_MINUTE)
    limiter.hit("ip:2", THREE_PER_MINUTE)

    assert limiter.hit("ip:1", THREE_PER_MINUTE).remaining == 2


def test_limits_hit_in_turn_stop_at_the_first_refusal_and_charge_none_after_it() -> None:
    limiter = MemoryRateLimiter(clock=FakeClock())
    rate, quota = RateLimit(requests=1, window_seconds=60), RateLimit(requests=10, window_seconds=86_400)

    first = limiter.hit_each([("a", rate), ("quota:a", quota)])
    refused = limiter.hit_each([("a", rate), ("quota:a", quota)])

    assert [decision.allowed for decision in first] == [True, True]
    assert [decision.allowed for decision in refused] == [False]
    assert limiter.hit("quota:a", quota).remaining == 8
