"""Hiring: screening exercises by invite link, blind multi-rater scoring, comparison."""
