"""`twin invites`: the owner creates, lists and revokes the invite codes that let people in through OAuth."""

import json
import sqlite3
from pathlib import Path

from tests.functional.test_cli import twin


def test_an_invite_is_created_with_its_code_shown_once_and_listed_without_it(tmp_path: Path) -> None:
    created = twin(tmp_path, "invites", "create", "--name", "Ada", "--scope", "twin:read", "--expires", "7d", "--json")
    listed = twin(tmp_path, "invites", "list", "--json")
    listed_text = twin(tmp_path, "invites", "list")

    assert created.returncode == 0, created.stderr
    invite = json.loads(created.stdout)
    assert invite["code"].startswith("twi_")
    assert invite["id"].startswith("inv_")
    assert invite["scopes"] == ["twin:read"]
    assert invite["expires_at"] > invite["created_at"]
    [entry] = json.loads(listed.stdout)
    assert entry == {key: value for key, value in invite.items() if key != "code"}
    assert invite["code"] not in listed.stdout + listed_text.stdout
    assert "Ada" in listed_text.stdout
    assert "last used never" in listed_text.stdout


def test_the_state_holds_only_a_hash_of_the_code(tmp_path: Path) -> None:
    code = json.loads(twin(tmp_path, "invites", "create", "--name", "Ada", "--json").stdout)["code"]

    database = (tmp_path / "oauth.db").read_bytes()
    assert code.encode() not in database
    assert code.removeprefix("twi_").encode() not in database
    with sqlite3.connect(tmp_path / "oauth.db") as connection:
        [(scopes, max_uses)] = connection.execute("SELECT scopes, max_uses FROM invites").fetchall()
    assert (scopes, max_uses) == ("twin:ask twin:read", None)


def test_a_revoked_invite_is_listed_as_revoked_and_cannot_be_revoked_again(tmp_path: Path) -> None:
    invite_id = json.loads(twin(tmp_path, "invites", "create", "--name", "Ada", "--uses", "3", "--json").stdout)["id"]

    revoked = twin(tmp_path, "invites", "revoke", invite_id)
    again = twin(tmp_path, "invites", "revoke", invite_id)

    assert revoked.returncode == 0, revoked.stderr
    assert invite_id in revoked.stdout
    assert again.returncode == 2
    assert "no active invite" in again.stderr
    [entry] = json.loads(twin(tmp_path, "invites", "list", "--json").stdout)
    assert entry["revoked_at"] is not None
    assert entry["max_uses"] == 3


def test_an_invite_cannot_grant_the_admin_scope_or_last_an_unreadable_time(tmp_path: Path) -> None:
    admin = twin(tmp_path, "invites", "create", "--name", "Ada", "--scope", "twin:admin")
    duration = twin(tmp_path, "invites", "create", "--name", "Ada", "--expires", "soon")
    uses = twin(tmp_path, "invites", "create", "--name", "Ada", "--uses", "0")

    assert admin.returncode == duration.returncode == 2
    assert "invalid choice" in admin.stderr
    assert "like 30m, 12h, 7d or 2w" in duration.stderr
    assert uses.returncode == 2
    assert uses.stderr.strip() == "twin: uses must be at least 1"
