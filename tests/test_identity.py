from datetime import date

from intake.questionnaire.identity import identity


def test_typed_name_first_and_the_invited_one_when_it_differs():
    who = identity({"about.full_name": " Samantha Sample ",
                    "about.date_of_birth": "1980-04-02"}, "Sam Sample")
    assert who.name == "Samantha Sample" and who.invited_as == "Sam Sample"
    assert who.date_of_birth == date(1980, 4, 2)
    assert who.age_on(date(2026, 4, 1)) == 45 and who.age_on(date(2026, 4, 2)) == 46


def test_same_name_in_another_case_is_not_shown_twice():
    assert identity({"about.full_name": "sam sample"}, "Sam Sample").invited_as is None


def test_nothing_typed_yet_falls_back_to_the_invite():
    who = identity({}, "Sam Sample")
    assert who.name == "Sam Sample" and who.invited_as is None
    assert who.date_of_birth is None and who.age_on(date(2026, 1, 1)) is None
    assert identity({"about.date_of_birth": "not a date"}, None).date_of_birth is None
