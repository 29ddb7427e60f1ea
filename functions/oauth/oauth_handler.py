"""The OAuth authorization server: /.well-known/oauth-authorization-server, /.well-known/openid-configuration,
/authorize, /authorize/consent, /token, /register, /revoke (no authorizer)."""

from twin.entrypoints.aws.cold_start import collector_paused

with collector_paused():
    from twin.entrypoints.aws.oauth import oauth_handler

    handler = oauth_handler()
