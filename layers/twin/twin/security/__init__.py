"""Who may call what: identities, scopes, the route policy, API keys and the audit trail.

One decision, two enforcers: the Lambda authorizer in AWS and the middleware of `twin serve` both
call `Authenticator` and `policy`, so what passes locally passes on AWS and nothing more.
"""
