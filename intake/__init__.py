"""intake: patient intake and dry-needling screening for physiotherapy clinics."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from intake.paths import ROOT, STATIC, TEMPLATES

if TYPE_CHECKING:  # importing intake.screening must not import Flask
    from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints. Nothing else lives here."""
    from flask import Flask

    from intake import (
        audit,
        dates_shown,
        db,
        errors,
        extensions,
        jobs,
        log_redaction,
        plaintext,
        proxy,
        request_limits,
        security,
        wording,
    )
    from intake.config import load_config
    from intake.i18n import pages as i18n_pages
    from intake.patient import bp as patient_bp
    from intake.staff import init_app as staff_init_app

    instance_path = os.environ.get("INTAKE_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__, instance_path=instance_path,
        template_folder=str(TEMPLATES), static_folder=str(STATIC),
    )
    config = config or {}
    app.config.update(load_config(instance_path, require_secret=not config.get("SECRET_KEY")))
    app.config.update(config)

    request_limits.init_app(app)
    log_redaction.init_app(app)
    proxy.init_app(app)
    db.init_app(app)
    i18n_pages.init_app(app)
    audit.init_app(app)
    jobs.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    dates_shown.init_app(app)
    wording.init_app(app)
    plaintext.init_app(app)
    app.register_blueprint(patient_bp)
    staff_init_app(app)
    return app
