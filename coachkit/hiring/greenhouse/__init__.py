"""The Greenhouse Assessment Partner API: Greenhouse sends coachkit's tests to candidates."""
