"""The twin's vocabulary: profiles, chunks, answers. Pure Python, no I/O."""
