"""Views of the evaluations app, split by audience: public (survey links), staff, feedback."""
