"""Risk: the levels, what each bot intent means, and the deterministic safety screen."""
