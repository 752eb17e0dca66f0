"""Views of the reports app, split by screen: the dashboard and exports, report runs."""
