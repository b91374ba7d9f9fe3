"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from coachkit import create_app

app = create_app()
