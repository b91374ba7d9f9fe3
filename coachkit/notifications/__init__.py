"""Notifications, reminders and the outbox of e-mails (see views.py and notify.py)."""
