"""Lambda entry points: each function's handler is built here from the same services as `twin serve`."""
