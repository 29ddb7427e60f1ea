"""Use cases: ingest a profile, search it, ask it, read it. They know ports, never HTTP or SDKs."""
