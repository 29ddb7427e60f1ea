"""Running the services' synchronous calls from the event loop: in place, or in the thread pool.

With every adapter in this process (SQLite, memory, the extractive answerer) a call waits on nothing but
the CPU, and a hop to the thread pool and back (a hand-off, a wake-up of the event loop, a contest for the
GIL) costs more than most calls do: they run in place. When an adapter talks to a network service
(Upstash, Groq, a JWKS) a call can wait for seconds: it runs in the thread pool, and the loop serves other
requests meanwhile.
"""

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool


async def run_sync[**P, R](offload: bool, function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)`; in the thread pool when `offload` (pass `Services.offloads`)."""
    if offload:
        return await run_in_threadpool(function, *args, **kwargs)
    return function(*args, **kwargs)
