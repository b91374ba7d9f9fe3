"""Administrators manage accounts: create, edit, deactivate, set-password links."""
