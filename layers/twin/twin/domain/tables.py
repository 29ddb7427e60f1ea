"""The data tables (`questions.toml`, `fit.toml`, `guard.toml`): reviewed as TOML, shipped as JSON.

TOML is what people read and review; parsing `questions.toml` with the pure-Python `tomllib` costs the first
question of every cold start about 10 ms, and the C `json` parser reads the same data in under 0.5 ms. The
layer build (tables_to_json.py) writes each table as JSON in place of its TOML; a source checkout has only
the TOML, and reads that.
"""

import json
from importlib import import_module
from pathlib import Path
from typing import Any


def load_table(package: str, name: str) -> dict[str, Any]:
    """The table `name` of `package` (`name.json` when the layer build wrote it, else `name.toml`)."""
    # The package's own folder rather than importlib.resources, which costs every cold start about 7 ms to
    # import: a Lambda layer and a checkout are both plain directories.
    folder = Path(str(import_module(package).__file__)).parent
    built = folder / f"{name}.json"
    if built.is_file():
        table: dict[str, Any] = json.loads(built.read_text(encoding="utf-8"))
        return table
    import tomllib

    return tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
