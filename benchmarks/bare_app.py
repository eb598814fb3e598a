"""The bare reference endpoint for benchmarks/load.py.

One row read and written with SQLAlchemy, through the app's own engine set-up
(intake.db.make_engine: the same SQLite pragmas and locking), under the same
gunicorn config and database as the app: what a step save costs with no
framework work on top (no CSRF, questionnaire, templates or audit).

    gunicorn -c gunicorn.conf.py --pythonpath benchmarks 'bare_app:create()'
"""

from __future__ import annotations

import os

from flask import Flask, request
from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, select, update

from intake.db import make_engine

metadata = MetaData()
rows = Table("bench_bare", metadata,
             Column("id", Integer, primary_key=True),
             Column("data", JSON, nullable=False),
             Column("saves", Integer, nullable=False))


def prepare(url: str, count: int) -> None:
    """The table with `count` rows, one per benchmark client."""
    engine = make_engine(url)
    try:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(rows), [{"id": i, "data": {}, "saves": 0}
                                        for i in range(1, count + 1)])
    finally:
        engine.dispose()


def create() -> Flask:
    engine = make_engine(os.environ["INTAKE_DATABASE_URL"])
    app = Flask(__name__)

    @app.get("/")
    def home():
        return "bare"

    @app.post("/row/<int:row_id>")
    def save(row_id: int):
        with engine.begin() as conn:
            row = conn.execute(select(rows).where(rows.c.id == row_id).with_for_update()).one()
            data = {**row.data, **request.form.to_dict()}
            conn.execute(update(rows).where(rows.c.id == row_id)
                         .values(data=data, saves=rows.c.saves + 1))
        return "", 303, {"Location": f"/row/{row_id}"}

    return app
