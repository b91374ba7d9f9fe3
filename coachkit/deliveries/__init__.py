"""Outgoing HTTP requests kept in a durable outbox and sent by the worker."""
