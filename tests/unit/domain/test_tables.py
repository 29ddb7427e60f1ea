"""The data tables load the same from a source checkout (TOML) and from the built layer (JSON)."""

import json
import sys
import tomllib
from pathlib import Path

import pytest

from tests.lambda_handlers import ROOT
from twin.domain.tables import load_table

sys.path.insert(0, str(ROOT / "layers/twin"))
from tables_to_json import convert  # a build script, not a package

PACKAGE = ROOT / "layers" / "twin" / "twin"
TABLES = sorted(PACKAGE.rglob("*.toml"))
BUILT_PACKAGE = ROOT / ".aws-sam" / "build" / "TwinLayer" / "python" / "twin"


def test_a_table_written_as_json_loads_as_the_toml_it_was_written_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "tables_package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = "title = \"Grüße\"\n[intents.goals]\npatterns = ['\\bnext (role|step)\\b']\nweight = 0.8\nlead = true\n"
    (package / "table.toml").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    from_toml = load_table("tables_package", "table")
    convert(package)

    assert not (package / "table.toml").exists()
    assert load_table("tables_package", "table") == from_toml == tomllib.loads(source)


def test_a_table_holding_a_date_fails_the_build_rather_than_loading_differently(tmp_path: Path) -> None:
    (tmp_path / "dated.toml").write_text("since = 2024-01-01\n", encoding="utf-8")

    with pytest.raises(TypeError):
        convert(tmp_path)


@pytest.mark.skipif(not BUILT_PACKAGE.is_dir(), reason="no `sam build` output (scripts/dev template makes it)")
@pytest.mark.parametrize("table", TABLES, ids=[path.stem for path in TABLES])
def test_the_built_layer_ships_each_table_as_json_equal_to_its_toml(table: Path) -> None:
    built = BUILT_PACKAGE / table.relative_to(PACKAGE)

    assert not built.exists()
    assert json.loads(built.with_suffix(".json").read_text(encoding="utf-8")) == tomllib.loads(table.read_text("utf-8"))
