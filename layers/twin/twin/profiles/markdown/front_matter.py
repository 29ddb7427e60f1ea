"""A YAML block at the top of the document (`name:`, `title:`, `location:`), read by a YAML parser."""

from typing import cast

_OPENING = "---"
_CLOSINGS = ("---", "...")


def front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The block's top-level text values by lower-case key, and the document's lines after it.

    A block that is not a YAML mapping is no front matter: its lines stay text, between two rules (its
    closing line right under a paragraph would make that paragraph a setext heading).
    """
    if not lines or lines[0].strip() != _OPENING:
        return {}, lines
    end = next((index for index in range(1, len(lines)) if lines[index].strip() in _CLOSINGS), None)
    if end is None:
        return {}, lines
    values = _mapping("\n".join(lines[1:end]))
    if values is None:
        return {}, [*lines[:end], "", *lines[end:]]
    metadata = {key.strip().lower(): value.strip() for key, value in values.items() if isinstance(value, str)}
    return metadata, lines[end + 1 :]


def _mapping(text: str) -> dict[str, object] | None:
    import yaml

    try:
        # BaseLoader builds only strings, lists and mappings: "name: Yes" stays "Yes", "version: 1.10" "1.10".
        data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506  # see the line above
    except yaml.YAMLError:
        return None
    return cast(dict[str, object], data) if isinstance(data, dict) and data else None
