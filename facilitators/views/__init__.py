"""Views of the facilitators app, split by screen: roster, assignment, portal."""
