"""Authored content (skills, training modules) loaded from files and validated."""
