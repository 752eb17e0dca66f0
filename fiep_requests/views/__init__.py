"""Views of the intake app, split by audience: ``public`` (no login) and ``staff``."""
