"""Digital Twin: a person's professional profile as an assistant that answers in their own voice."""

__version__ = "0.1.0"
