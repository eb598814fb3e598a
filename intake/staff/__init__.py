"""The practitioner side: sign-in, dashboard, intake review, invites, admin,
and downloading archived summaries.

Every view under /staff requires a signed-in staff user and names the roles
it allows (`intake.staff.auth.roles_required`); tests walk the URL map so a
new route cannot forget it. Only the endpoints in PUBLIC_ENDPOINTS are open.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: Staff endpoints reachable without signing in.
PUBLIC_ENDPOINTS = frozenset({"staff.login"})
#: Between a right password and a signed-in session (intake.staff.second_factor).
SECOND_STEP_ENDPOINTS = frozenset({
    "staff.two_factor_code", "staff.two_factor_recovery", "staff.two_factor_setup",
})
PUBLIC_ENDPOINTS |= SECOND_STEP_ENDPOINTS


def init_app(app: Flask) -> None:
    """Register the staff blueprint and the sign-in machinery."""
    from intake.staff import (  # noqa: F401  (register the views on bp)
        auth,
        filters,
        routes_admin,
        routes_auth,
        routes_clinic,
        routes_dashboard,
        routes_documents,
        routes_fhir,
        routes_intake,
        routes_invites,
        routes_language,
        routes_patients,
        routes_review,
        routes_rules,
        routes_twofactor,
    )

    if app.testing:
        from intake.passwords import use_fast_hashing

        use_fast_hashing()
    auth.init_app(app)
    filters.init_app(app)
    routes_documents.init_app(app)
    app.register_blueprint(bp)
