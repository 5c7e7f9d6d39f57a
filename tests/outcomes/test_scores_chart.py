"""A questionnaire's chart names the day of every answer on its axis."""

import re
from datetime import date

from supine.outcomes.charts import scores_chart


def test_every_answer_has_its_date_on_the_axis():
    days = [date(2026, 10, 30), date(2026, 11, 13), date(2026, 11, 27)]
    chart = scores_chart(
        title="RMDQ",
        points=list(zip(days, [12.0, 9.0, 6.0], strict=True)),
        lowest=0,
        highest=24,
        better="Lower is better (0 to 24).",
    )
    axis = re.search(r'<g class="axis x[^"]*">(.*?)</g>\s*</g>', chart.svg, re.S)
    assert axis, "the chart has an x axis"
    for label in ("30 Oct", "13 Nov", "27 Nov"):
        assert f">{label}</text>" in axis.group(1), label
