"""Reading a request body as JSON: one parser for every entry point (REST routes, `/mcp`, each Lambda).

`json.loads` raises more than `JSONDecodeError` on hostile input: `RecursionError` for deep nesting and
`ValueError` for an integer over 4,300 digits. pydantic-core's parser reports every failure as a
`ValueError`, bounds nesting (about 200 levels), refuses lone surrogates (text no store could encode)
and, with `allow_inf_nan=False`, the non-JSON literals `NaN` and `Infinity`. The MCP SDK parses with it too.
"""

import pydantic_core

from twin.errors import MalformedJsonError


def parse_json_body(body: bytes) -> object:
    """The JSON value of `body`; raises MalformedJsonError for anything that is not plain JSON."""
    try:
        return pydantic_core.from_json(body, allow_inf_nan=False)
    except ValueError:
        raise MalformedJsonError from None
