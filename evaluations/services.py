"""Writes of the evaluations app (built in issue 6)."""
