"""Views of the meetings app, split by screen (meeting, calendar, claims)."""
