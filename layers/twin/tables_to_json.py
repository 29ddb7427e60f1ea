"""Writes every data table of the `twin` package as JSON in place of its TOML (see twin/domain/tables.py).

A table holding what JSON cannot say (a TOML date or time) fails the build rather than loading differently.

    python tables_to_json.py <package directory>
"""

import json
import sys
import tomllib
from pathlib import Path


def convert(package: Path) -> None:
    for source in sorted(package.rglob("*.toml")):
        table = tomllib.loads(source.read_text(encoding="utf-8"))
        target = source.with_suffix(".json")
        target.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        source.unlink()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    convert(Path(sys.argv[1]))
