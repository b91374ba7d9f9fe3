"""Hand-over on hire: a hired candidate's skill profile for the team they join."""
