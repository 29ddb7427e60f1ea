"""The REST API (FastAPI). Each route module is one router; Lambda functions mount only their own."""
