"""A YAML block at the top of the document: `name:`, `title:`, `location:`."""

import re

_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:")


def front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """`name:` and the like from a `---` block at the top, and the index of the line after it."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
    if end is None:
        return {}, 0
    body = [line for line in lines[1:end] if line.strip()]
    top_level = [line for line in body if _YAML_KEY.match(line)]
    nested = [line for line in body if line.startswith((" ", "\t", "-", "#"))]
    if not top_level or len(top_level) + len(nested) != len(body):
        return {}, 0
    pairs = (line.partition(":") for line in top_level)
    return {key.strip().lower(): value.strip().strip("'\"") for key, _, value in pairs}, end + 1
