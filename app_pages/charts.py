"""The score charts of the Scorecard and Compare pages, apart so that the pages stay thin and the specs testable.

Every criterion's whole name shows, and each bar carries its score as a label: a bar of length 0 draws nothing,
so without the label a zero would look like a criterion left out."""

import altair as alt
import pandas as pd

from scoring import Scorecard
from scoring.compare import Comparison

SCORE_X = alt.X("score:Q", scale=alt.Scale(domain=[0, 100]))
CRITERION_AXIS = alt.Axis(labelLimit=0, title=None)  # 0: no limit, so "C2 Training and secondary use…" is not cut
BAR_THICKNESS = 14  # pixels per vendor's bar in the comparison; its score label needs about this much


def _labelled_bars(bars: alt.Chart) -> alt.LayerChart:
    """The bars, each with its score written just past its end."""
    return bars.mark_bar() + bars.mark_text(align="left", dx=3).encode(text=alt.Text("score:Q", format=".0f"))


def scorecard_chart(card: Scorecard) -> alt.LayerChart | None:
    """One bar per criterion that applies, in the profile's order; None when no criterion applies."""
    applying = [criterion for criterion in card.criteria if criterion.applies]
    if not applying:
        return None
    data = pd.DataFrame(
        [{"criterion": f"{c.id} {c.name}", "score": round(c.score, 1), "weight": round(c.weight, 1)} for c in applying]
    )
    bars = alt.Chart(data).encode(
        x=SCORE_X,
        y=alt.Y("criterion:N", sort=None, axis=CRITERION_AXIS),
        tooltip=["criterion", "score", "weight"],
    )
    return _labelled_bars(bars)


def comparison_chart(comparison: Comparison) -> alt.LayerChart | None:
    """A band per criterion, the deciding ones first, and inside it a bar per vendor: one axis of labels, none
    overlapping (a facet row per criterion put its label over the next). None when no criterion applies."""
    data = pd.DataFrame(
        [
            {"criterion": f"{row.id} {row.name}", "vendor": name, "score": value}
            for row in comparison.rows
            for name, value in zip(comparison.vendors, row.scores)
            if value is not None
        ]
    )
    if data.empty:
        return None
    vendors = list(comparison.vendors)
    bars = alt.Chart(data).encode(
        x=SCORE_X,
        y=alt.Y("criterion:N", sort=None, axis=CRITERION_AXIS),
        yOffset=alt.YOffset("vendor:N", sort=vendors),
        color=alt.Color("vendor:N", sort=vendors, legend=alt.Legend(orient="top", title=None, labelLimit=0)),
        tooltip=["criterion", "vendor", "score"],
    )
    return _labelled_bars(bars).properties(height=alt.Step(BAR_THICKNESS, **{"for": "offset"}))
