"""A function's start, with the cyclic garbage collector paused.

Importing the stack makes 40,000 (authorizer) to 120,000 (MCP) objects that live as long as the process
(classes, pydantic schemas, SDK models). The collector runs every few hundred allocations and walks them looking for
cycles it never finds: about a tenth of the MCP function's start. Paused while the handler is built; when it
resumes, everything the start made is frozen, so no later collection, in a warm invocation either, rescans it.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
