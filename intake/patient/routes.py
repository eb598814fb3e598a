"""Patient routes (placeholder until the questionnaire wizard lands)."""

from intake.patient import bp


@bp.get("/")
def home():
    return "intake"
