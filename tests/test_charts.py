"""The score charts: whole criterion names, a zero as visible as any score, and comparison labels that never overlap."""

from app_pages.charts import BAR_THICKNESS, comparison_chart, scorecard_chart
from scoring.compare import compare
from tests.test_scoring_export import card_with


def layers(spec: dict) -> dict[str, dict]:
    """The chart's layers by mark type."""
    return {layer["mark"]["type"]: layer for layer in spec["layer"]}


def plotted(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def test_the_scorecard_chart_shows_whole_criterion_names_and_writes_each_score_beside_its_bar():
    spec = scorecard_chart(card_with("Customer may audit the processing once a year.")).to_dict()
    bars, labels = layers(spec)["bar"], layers(spec)["text"]
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert labels["encoding"]["text"]["field"] == "score" and labels["encoding"]["x"]["field"] == "score"
    assert labels["mark"]["align"] == "left" and labels["mark"]["dx"] > 0  # past the bar's end, so also past a 0
    scores = {point["criterion"]: point["score"] for point in plotted(spec)}
    assert scores["C2 Training and secondary use of our data"] == 0  # drawn: a label "0" with no bar


def test_the_comparison_chart_puts_each_vendor_bar_inside_one_band_per_criterion():
    comparison = compare(
        [("Lumora AI GmbH", card_with("Audits allowed.")), ("Quillstack Inc.", card_with("No audits.", audit="no"))]
    )
    spec = comparison_chart(comparison).to_dict()
    bars, labels = layers(spec)["bar"], layers(spec)["text"]
    for layer in (bars, labels):
        assert not {"row", "facet", "column"} & set(layer["encoding"])  # no facet rows, whose labels overlapped
        assert layer["encoding"]["y"]["field"] == "criterion" and layer["encoding"]["yOffset"]["field"] == "vendor"
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert spec["height"] == {"step": BAR_THICKNESS, "for": "offset"}  # per vendor bar, not per band
    assert labels["encoding"]["text"]["field"] == "score"
    criteria = list(dict.fromkeys(point["criterion"] for point in plotted(spec)))
    assert criteria[0] == f"{comparison.rows[0].id} {comparison.rows[0].name}"  # the deciding criterion first
    assert bars["encoding"]["y"]["sort"] is None  # in that order
    scores = {(point["criterion"], point["vendor"]): point["score"] for point in plotted(spec)}
    assert scores["C2 Training and secondary use of our data", "Quillstack Inc."] == 0
