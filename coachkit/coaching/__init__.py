"""Coaching: managers record sessions with their staff, who acknowledge and follow up."""
