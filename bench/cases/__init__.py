"""Every module here registers rows of ``bench/run``'s table (see bench/registry.py)."""
