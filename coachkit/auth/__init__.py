"""Accounts, roles, sign-in sessions and access policies."""
