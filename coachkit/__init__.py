"""coachkit: train, coach and hire the people who face your customers."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: config from defaults, the environment, then `overrides`."""
    from coachkit import config, errors, request_log, security
    from coachkit.app_setup import install_extensions, register_blueprints
    from coachkit.content import library as content_library

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config)
    app.config.update(config.from_environment(os.environ))
    app.config.update(overrides or {})
    relaxed = bool(app.debug or app.testing or app.config.get("TESTING"))
    config.finalise(
        app.config, instance_path=app.instance_path, relaxed=relaxed, serving=config.serving()
    )
    app.url_map.converters["int"] = security.BoundedIntConverter
    app.before_request(security.refuse_nul_bytes)
    install_extensions(app)
    content_library.init_app(app)
    register_blueprints(app)
    errors.register(app)
    app.after_request(security.set_headers)
    request_log.install(app)
    return app
