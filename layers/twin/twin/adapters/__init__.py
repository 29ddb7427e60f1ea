"""Adapters fill in the ports. Only modules here touch SQLite, SDKs or the network."""
