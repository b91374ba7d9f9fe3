"""Openings: the roles being hired for, each screened with one exercise."""
