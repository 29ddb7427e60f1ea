from tests.fakes import FakeClock
from twin.adapters.memory_cache import MemoryCache


def test_a_value_is_served_until_its_ttl_passes() -> None:
    clock = FakeClock()
    cache = MemoryCache(clock=clock)
    cache.set("k", "v", ttl_seconds=10)

    clock.now += 9.9
    assert cache.get("k") == "v"
    clock.now += 0.1
    assert cache.get("k") is None


def test_a_zero_ttl_stores_nothing() -> None:
    cache = MemoryCache()
    cache.set("k", "v", ttl_seconds=0)

    assert cache.get("k") is None


def test_the_least_recently_used_entry_leaves_first_when_full() -> None:
    cache = MemoryCache(max_entries=2)
    cache.set("a", "1", ttl_seconds=60)
    cache.set("b", "2", ttl_seconds=60)
    assert cache.get("a") == "1"

    cache.set("c", "3", ttl_seconds=60)

    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == ("1", "3")
