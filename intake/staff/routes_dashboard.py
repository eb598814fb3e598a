"""The dashboard: the schedule with each intake's status and worst flag."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from intake import clock
from intake.db import get_session, writes
from intake.operations import access
from intake.staff import auth, bp, schedule
from intake.staff.forms import DashboardFilterForm

PAGE_SIZE = 50


@bp.get("/")
@auth.roles_required(auth.ALL_ROLES)
@writes  # each view of the schedule is audited
def dashboard():
    form = DashboardFilterForm(request.args)
    clinical = current_user.is_clinical
    filters = schedule.Filters()
    if form.validate():
        filters = schedule.Filters(
            q=(form.q.data or "").strip(), status=form.status.data or "",
            level=(form.level.data or "") if clinical else "", day=form.day.data,
        )
    db = get_session()
    result = schedule.page(db, filters, clinical=clinical, size=PAGE_SIZE,
                           cursor=request.args.get("after"))
    access.viewed_dashboard(
        db, actor_id=current_user.id, ip=auth.client_ip(),
        filtered=bool(filters.q or filters.status or filters.level or filters.day),
        intake_ids=[i.id for d in result.days for i in d.intakes])
    args = {k: v for k, v in request.args.items() if k != "after"}
    today = clock.today()
    rows = {i.id: schedule.row_of(i, today) for d in result.days for i in d.intakes}
    return render_template("staff/dashboard.html", form=form, page=result, clinical=clinical,
                           today=today, args=args, rows=rows,
                           first_page=request.args.get("after") is None)
