"""A YAML block at the top of the document (`name:`, `title:`, `location:`), read by a YAML parser."""

from typing import cast

_OPENING = "---"
_CLOSINGS = ("---", "...")


def front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The block's top-level text values by lower-case key, and the index of the line after it.

    A block that is not a YAML mapping is no front matter: its lines stay part of the document.
    """
    if not lines or lines[0].strip() != _OPENING:
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].strip() in _CLOSINGS), None)
    if end is None:
        return {}, 0
    import yaml

    try:
        # BaseLoader builds only strings, lists and mappings: "name: Yes" stays "Yes", "version: 1.10" "1.10".
        data = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)  # noqa: S506  # see the line above
    except yaml.YAMLError:
        return {}, 0
    if not isinstance(data, dict) or not data:
        return {}, 0
    values = cast(dict[str, object], data)
    return {key.strip().lower(): value.strip() for key, value in values.items() if isinstance(value, str)}, end + 1
