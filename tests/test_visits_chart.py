"""Progress charts: the data per visit, the change against the minimal
important change, the SVG's text alternatives, and the patient page."""

from __future__ import annotations

import re
from datetime import date

import visits_staff_support as support

from intake.questionnaire import load_definition
from intake.visits import chart

course = support.course

def _visits():
    return [
        (date(2026, 11, 2), {"pain.back_now": 7, "pain.back_worst_24h": 8, "pain.leg_now": 5,
                             "pain.leg_worst_24h": 6}),
        (date(2026, 11, 16), {"pain.back_now": 6, "pain.back_worst_24h": 7}),
        (date(2026, 11, 30), {"pain.back_now": 3, "pain.back_worst_24h": 5, "pain.leg_now": 4}),
    ]


def _charts():
    return {c.id: c for c in chart.charts(load_definition(), _visits(), lambda d: d.isoformat())}


def test_each_line_has_one_value_per_visit_and_none_where_not_asked():
    charts = _charts()
    back = charts["back"]
    assert back.visits == ("2026-11-02", "2026-11-16", "2026-11-30")
    assert [line.values for line in back.lines] == [(7, 6, 3), (8, 7, 5)]
    assert [line.values for line in charts["leg"].lines] == [(5, None, 4), (6, None, None)]
    assert not charts["phq2"].has_data and not charts["startback"].has_data
    assert charts["leg"].rows()[1] == ("2026-11-16", ["Not asked", "Not asked"])


def test_the_change_since_the_first_visit_against_the_minimal_important_change():
    charts = _charts()
    now, worst = charts["back"].lines
    assert (now.change.points, now.change.verdict) == (-4, "better")
    assert now.change_text == "Now: 7 to 3 (-4 points, -57%), better"
    assert worst.change.verdict == "better"  # 8 to 5: 3 points
    leg_now = charts["leg"].lines[0]
    assert leg_now.change.verdict == "no important change"  # 5 to 4: 1 point, 20%
    assert charts["leg"].lines[1].change is None  # one value only


def test_the_svg_has_text_alternatives_and_labels_not_colour_alone():
    back = _charts()["back"]
    drawn = chart.svg(back)
    assert drawn.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in drawn and 'aria-labelledby="chart-back-title chart-back-desc"' in drawn
    assert '<title id="chart-back-title">Back pain (NPRS, 0 to 10)</title>' in drawn
    desc = re.search(r'<desc id="chart-back-desc">([^<]+)</desc>', drawn).group(1)
    assert "Now: 7 on 2026-11-02, 6 on 2026-11-16, 3 on 2026-11-30." in desc
    assert "Change since the first visit: Now: 7 to 3 (-4 points, -57%), better." in desc
    texts = re.findall(r"<text[^>]*>([^<]+)</text>", drawn)
    for label in ("2026-11-02", "2026-11-30", "Now", "Worst in 24 hours", "0", "10", "7", "3"):
        assert label in texts
    assert 'stroke-dasharray="6 4"' in drawn and "<rect" in drawn and "<circle" in drawn
    assert "<script" not in drawn


def test_chart_text_is_escaped():
    odd = chart.Chart("x", "A <b> & title", 10, ("<day>",), (chart.Line("<line>", (3,)),))
    drawn = chart.svg(odd)
    assert "<b>" not in drawn and "&lt;b&gt; &amp; title" in drawn
    assert "<day>" not in drawn and "<line>" not in drawn


def test_a_first_visit_alone_has_no_change():
    one = chart.charts(load_definition(), _visits()[:1], str)
    assert all(line.change is None for c in one for line in c.lines)


def test_the_startback_and_phq2_totals_are_charted_where_asked():
    definition = load_definition()

    def scoring(qid: str, points: int) -> str:
        return next(o.value for o in definition.question(qid).options if o.score == points)

    scored = {f"wellbeing.startback_{n}": scoring(f"wellbeing.startback_{n}", 1)
              for n in range(1, 10)}
    phq = {qid: scoring(qid, 0) for qid in ("wellbeing.phq2_interest", "wellbeing.phq2_down")}
    visits = [(date(2026, 11, 2), {**scored, **phq}), (date(2026, 11, 16), {"pain.back_now": 2})]
    charts = {c.id: c for c in chart.charts(definition, visits, str)}
    assert charts["startback"].lines[0].values == (9, None)
    assert charts["startback"].lines[1].values == (5, None)
    assert charts["phq2"].lines[0].values == (0, None)


def test_the_patient_page_charts_progress_with_a_table(app, client, course, make_staff, auth):
    first = course.first()
    second = course.follow_up(first, when=course.at(-14), **{"pain.back_now": 5})
    course.follow_up(second, when=course.at(0), visit_number=3, **{"pain.back_now": 2,
                                                                   "pain.back_worst_24h": 3})
    make_staff(role="practitioner", email="p@example.org")
    auth.login("p@example.org")
    html = client.get(f"/staff/patients/{first.patient_id}").get_data(as_text=True)
    assert "<svg" not in html.split("</head>")[0]  # the page's title is text only
    # back pain, STarT Back and PHQ-2 (asked at the first visit); no leg pain reported
    assert html.count('class="progress-chart" role="img"') == 3
    part = html.split('id="progress"')[1].split("</section>")[0]
    assert "Progress over time" in part and "Farrar" in part and "30%" in part
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" role="img"' in part
    assert "<caption>Back pain (NPRS, 0 to 10): the values</caption>" in part
    assert re.search(r"<td>7</td>.*<td>5</td>.*<td>2</td>", part, re.S)
    assert "Change since the first visit: Now: 7 to 2 (-5 points, -71%), better." in part
    assert "<script" not in part
    auth.logout()
    make_staff(role="front_desk", email="desk@example.org")
    auth.login("desk@example.org")
    desk = client.get(f"/staff/patients/{first.patient_id}").get_data(as_text=True)
    assert "Progress over time" not in desk and "<svg" not in desk.split("<main")[-1]


def test_a_value_label_under_a_point_at_zero_clears_the_visit_days():
    """Two lines at 0 on the last visit: the lower line's label goes under its
    point, and must not be drawn over the day written under the axis."""
    both = chart.Chart("x", "STarT Back", 9, ("4 Nov 2026", "2 Dec 2026"),
                       (chart.Line("Total", (3, 0)), chart.Line("Distress", (1, 0))))
    drawn = str(chart.svg(both))
    texts = [(float(y), text) for y, text in
             re.findall(r'<text x="[^"]*" y="([^"]+)"[^>]*>([^<]+)</text>', drawn)]
    day = min(y for y, text in texts if text == "2 Dec 2026")
    zero_labels = sorted(y for y, text in texts if text == "0")
    font = 12
    assert len(zero_labels) == 3  # the axis tick and both lines' values
    assert zero_labels[-1] < day - font  # the lower value ends above the day's text
    # and the day's text, tilted or not, stays inside the drawing
    many = chart.Chart("m", "T", 10, tuple(f"{d} Nov 2026" for d in range(10, 16)),
                       (chart.Line("Now", (1, 2, 3, 4, 5, 0)),))
    assert 'rotate(-25' in str(chart.svg(many))
    longest = 0.6 * font * len("18 sept. 2026")  # about 0.6 em a character
    drop = 0.423 * longest  # sin 25°: how far a tilted day reaches below its baseline
    assert chart.HEIGHT - chart.BOTTOM + chart.DAY_BASELINE + drop < chart.HEIGHT
