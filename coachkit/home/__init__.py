"""Each role's home page and the health check."""
