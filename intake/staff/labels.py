"""The words staff pages show for stored values, in the page's language.

The English words keep their one home each: severity levels and urgencies
(screening/severity.py), decision choices (screening/decisions.py), roles
(Role.label) and deep needling targets (screening/plan.py), which pure code
and the PDF read too. This module marks them for the catalog (``N_`` below,
so `intake.i18n.check` sees them; a test holds the list to those tables) and
translates them as a page is written.
Statuses are the staff pages' own words, so they are written here.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l


def N_(message: str) -> str:  # noqa: N802  (the gettext convention's name)
    """Marks a message for the catalog without translating it here."""
    return message


#: The words of severity.py, decisions.py and Role.label, as marked messages.
MARKED = frozenset({
    N_("Red flag"), N_("Contraindication"), N_("Precaution"), N_("Note"), N_("No flags"),
    N_("emergency"), N_("urgent"), N_("prompt"),
    N_("Red flag: emergency"), N_("Red flag: urgent"), N_("Red flag: prompt"),
    N_("Proceed"), N_("Proceed with modifications"), N_("Defer"), N_("Refer"),
    N_("Do not needle"),
    N_("Administrator"), N_("Practitioner"), N_("Front desk"),
    N_("Psoas"), N_("Iliacus"), N_("Tibialis posterior"),
})

STATUS_LABELS = {
    "invited": _l("Invited"),
    "in_progress": _l("In progress"),
    "submitted": _l("Submitted"),
    "reviewed": _l("Reviewed"),
    "cancelled": _l("Cancelled"),
}


#: the patient's language, as the badge's accessible name says it
ANSWERED_IN = {"en": _l("Answered in English"), "fr": _l("Answered in French")}


def shown(english: str) -> str:
    """One of the MARKED words in the page's language (anything else as it is)."""
    return gettext(english) if english in MARKED else english


def lazily(english: str):
    """The same, for a form's choices built once at import."""
    return _l(english) if english in MARKED else english


def role_label(role: str) -> str:
    from intake.models.staff import Role

    try:
        return shown(Role(role).label)
    except ValueError:
        return role
