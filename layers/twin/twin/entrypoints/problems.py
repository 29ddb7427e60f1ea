"""What a caller is told about input that failed validation: where and which rule, never the input itself.

Pydantic's own rendering quotes the rejected value (`input_value=...`); its `msg` names the rule only.
A key the model does not declare is the caller's text, so that problem is reported at its parent.
Every detail is capped, and so is the number of problems reported.
"""

from collections.abc import Sequence

from pydantic_core import ErrorDetails

MAX_PROBLEMS = 10
MAX_DETAIL_CHARS = 200


def validation_problems(errors: Sequence[ErrorDetails], *, prefix: int = 0, whole: str) -> list[dict[str, str]]:
    """`{field, message}` per error; `prefix` location parts are dropped, `whole` names an empty location."""
    problems = []
    for error in errors[:MAX_PROBLEMS]:
        location = error["loc"][prefix:]
        if error["type"] == "extra_forbidden":
            location = location[:-1]
        field = ".".join(str(part) for part in location) or whole
        problems.append({"field": capped(field), "message": capped(error["msg"])})
    return problems


def summary(problems: Sequence[dict[str, str]]) -> str:
    return "; ".join(f"{problem['field']}: {problem['message']}" for problem in problems)


def capped(text: str) -> str:
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"
