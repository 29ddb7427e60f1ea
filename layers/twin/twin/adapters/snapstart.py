"""Lambda SnapStart: what each execution environment restored from a version's snapshot must renew.

Every environment of a version resumes from one snapshot of its initialised memory, so what the start made is
shared by all of them: open sockets, the `random` module's state, secrets read and cached at start. Lambda's
Python runtime runs the hooks registered with its `snapshot_restore_py` module after each restore; elsewhere
(tests, `twin serve`, a function without SnapStart) that module is absent and nothing is registered.
"""

from collections.abc import Callable


def after_restore(hook: Callable[[], object]) -> None:
    try:
        from snapshot_restore_py import register_after_restore  # type: ignore[import-not-found]  # Lambda runtime only
    except ImportError:
        return
    register_after_restore(hook)
