// Intentionally empty: the baseline of the startup benchmark (node + tsx, nothing else).
