"""Teams: managers and the members they coach."""
