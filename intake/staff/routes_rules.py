"""The rule catalog for practitioners, generated from rules/*.yaml."""

from __future__ import annotations

from flask import current_app, render_template

from intake.staff import auth, bp


@bp.get("/rules")
@auth.roles_required(auth.CLINICAL)
def rules():
    try:
        from intake.screening import load_rules

        ruleset = load_rules()
    except Exception:  # noqa: BLE001  (show the page, say the rules did not load)
        current_app.logger.exception("screening rules could not be loaded")
        return render_template("staff/rules.html", rules=None, version=None), 503
    items = [rule.summary() for rule in ruleset.in_catalog_order()]
    return render_template("staff/rules.html", rules=items, version=ruleset.version)
