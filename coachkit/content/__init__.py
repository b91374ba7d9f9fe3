"""Authored content (skills, training modules, screening exercises), validated on load."""
