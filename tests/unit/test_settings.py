from pathlib import Path

import pytest

from twin.errors import ConfigurationError
from twin.settings import Secret, Settings


def test_every_setting_has_a_default_so_no_environment_is_needed() -> None:
    settings = Settings.from_environment({}, env_file=None)

    assert settings.twin_id == "default"
    assert settings.rate_limit("pro").requests == 120


def test_variables_are_converted_to_the_type_of_their_setting() -> None:
    settings = Settings.from_environment(
        {
            "TWIN_PORT": "9000",
            "TWIN_STATE_DIR": "/tmp/twin-state",
            "TWIN_CORS_ORIGINS": '["https://a.example", "https://b.example"]',
            "TWIN_AUTHORIZATION_SERVERS": "https://auth.example, https://other.example",
            "TWIN_TIER_USAGE_KEYS": '{"free": "k1"}',
            "TWIN_JWT_SECRET": "s3cr3t-value",
            "TWIN_PUBLIC_URL": "",
            "HOME": "/ignored",
        },
        env_file=None,
    )

    assert settings.port == 9000
    assert settings.state_dir == Path("/tmp/twin-state")
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.authorization_servers == ("https://auth.example", "https://other.example")
    assert settings.tier_usage_keys == {"free": "k1"}
    assert settings.jwt_secret == Secret("s3cr3t-value")
    assert settings.public_url is None


def test_a_secret_never_shows_in_a_repr() -> None:
    settings = Settings(jwt_secret=Secret("s3cr3t-value"))

    assert "s3cr3t-value" not in repr(settings)
    assert "s3cr3t-value" not in str(settings.jwt_secret)


@pytest.mark.parametrize(
    ("environ", "variable", "problem"),
    [
        ({"TWIN_PROFILE_PAHT": "x.json"}, "TWIN_PROFILE_PAHT", "unknown setting"),
        ({"TWIN_PORT": "eighty"}, "TWIN_PORT", "whole number"),
        ({"TWIN_PORT": "70000"}, "TWIN_PORT", "at most 65535"),
        ({"TWIN_SESSION_TTL_SECONDS": "5"}, "TWIN_SESSION_TTL_SECONDS", "at least 60"),
        ({"TWIN_TWIN_ID": "Not Valid!"}, "TWIN_TWIN_ID", "must match"),
        ({"TWIN_TIER_USAGE_KEYS": "free=k1"}, "TWIN_TIER_USAGE_KEYS", "JSON object"),
        ({"TWIN_CORS_ORIGINS": "[not json"}, "TWIN_CORS_ORIGINS", "JSON list"),
        ({"TWIN_TRUSTED_PROXIES": "127.0.0.1,proxy.example"}, "TWIN_TRUSTED_PROXIES", "not an IP address or network"),
    ],
)
def test_a_wrong_setting_fails_at_start_naming_the_variable(
    environ: dict[str, str], variable: str, problem: str
) -> None:
    with pytest.raises(ConfigurationError) as failure:
        Settings.from_environment(environ, env_file=None)

    assert failure.value.setting == variable
    assert problem in failure.value.message


def test_a_value_of_the_wrong_type_is_refused_in_code_too() -> None:
    with pytest.raises(ConfigurationError, match="TWIN_PORT: expected int"):
        Settings(port="8000")  # type: ignore[arg-type]  # the mistake under test


def test_the_environment_overrides_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# local settings\nTWIN_TWIN_ID=from-file\nexport TWIN_PORT='9001'\nTWIN_HOST=\"twin.local\"\n")

    settings = Settings.from_environment({"TWIN_TWIN_ID": "from-environment"}, env_file=env_file)

    assert (settings.twin_id, settings.port, settings.host) == ("from-environment", 9001, "twin.local")


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"TWIN_UPSTASH_VECTOR_URL": "https://vector.example"}, "TWIN_UPSTASH_VECTOR_READONLY_TOKEN"),
        ({"TWIN_UPSTASH_REDIS_URL": "https://redis.example"}, "TWIN_UPSTASH_REDIS_TOKEN"),
        ({"TWIN_UPSTASH_CREDENTIALS_REDIS_URL": "https://keys.example"}, "TWIN_UPSTASH_CREDENTIALS_REDIS_TOKEN"),
    ],
)
def test_a_service_url_without_a_token_fails_at_start_naming_the_token(environ: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigurationError) as failure:
        Settings.from_environment(environ, env_file=None)

    assert failure.value.setting == variable


def test_a_token_may_be_given_as_the_name_of_its_parameter() -> None:
    environ = {"TWIN_UPSTASH_REDIS_URL": "https://redis.example", "TWIN_UPSTASH_REDIS_TOKEN_PARAMETER": "/twin/redis"}

    assert Settings.from_environment(environ, env_file=None).upstash_redis_token_parameter == "/twin/redis"


def test_a_shared_index_needs_redis_for_its_profile_record() -> None:
    environ = {"TWIN_UPSTASH_VECTOR_URL": "https://vector.example", "TWIN_UPSTASH_VECTOR_TOKEN": "t"}

    with pytest.raises(ConfigurationError) as failure:
        Settings.from_environment(environ, env_file=None)

    assert failure.value.setting == "TWIN_UPSTASH_REDIS_URL"


def test_the_state_directory_follows_xdg_state_home_unless_twin_state_dir_is_set() -> None:
    xdg = Settings.from_environment({"XDG_STATE_HOME": "/srv/state"}, env_file=None)
    relative = Settings.from_environment({"XDG_STATE_HOME": "state"}, env_file=None)
    explicit = Settings.from_environment({"XDG_STATE_HOME": "/srv/state", "TWIN_STATE_DIR": "/tmp/t"}, env_file=None)

    assert xdg.state_dir == Path("/srv/state/twin")
    assert relative.state_dir == Settings().state_dir
    assert explicit.state_dir == Path("/tmp/t")


@pytest.mark.parametrize("variable", ["TWIN_JWT_SECRET_PARAMETER", "TWIN_UPSTASH_REDIS_READONLY_TOKEN_PARAMETER"])
def test_a_secrets_manager_reference_is_refused_at_start_as_no_function_may_read_it(variable: str) -> None:
    environment = {variable: "/aws/reference/secretsmanager/twin/jwt", "TWIN_UPSTASH_REDIS_URL": "https://r.example"}

    with pytest.raises(ConfigurationError) as failure:
        Settings.from_environment(environment, env_file=None)

    assert failure.value.setting == variable
    assert "Secrets Manager is not supported" in str(failure.value)


def test_redis_is_usable_with_only_the_read_only_token() -> None:
    environment = {"TWIN_UPSTASH_REDIS_URL": "https://r.example", "TWIN_UPSTASH_REDIS_READONLY_TOKEN_PARAMETER": "/p"}

    assert Settings.from_environment(environment, env_file=None).upstash_redis_readonly_token_parameter == "/p"


def test_a_jwt_subjects_daily_quota_depends_on_its_tier() -> None:
    settings = Settings.from_environment({"TWIN_QUOTA_PRO": "50"}, env_file=None)

    assert (settings.daily_quota("pro").requests, settings.daily_quota("pro").window_seconds) == (50, 86_400)
    assert settings.daily_quota("free").requests == 1000


@pytest.mark.parametrize(
    ("environ", "serves"),
    [
        ({}, False),
        ({"TWIN_PUBLIC_CHAT": "true"}, True),
        ({"TWIN_PUBLIC_CHAT": "true", "TWIN_PUBLIC_MCP": "false"}, False),
        ({"TWIN_PUBLIC_CHAT": "false", "TWIN_PUBLIC_MCP": "true"}, True),
    ],
)
def test_the_public_mcp_endpoint_follows_the_public_chat_unless_switched_on_its_own(
    environ: dict[str, str], serves: bool
) -> None:
    assert Settings.from_environment(environ, env_file=None).serves_public_mcp() is serves


def test_the_public_mcp_endpoint_has_its_own_allowance() -> None:
    settings = Settings.from_environment({"TWIN_RATE_LIMIT_PUBLIC_MCP": "7"}, env_file=None)

    assert settings.rate_limit("public_mcp").requests == 7
    assert settings.rate_limit("public").requests == 10
