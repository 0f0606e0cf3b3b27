"""The reliability diagram: valid SVG, one point per non-empty bin, names escaped."""

from xml.etree import ElementTree

from classifier.reliability import reliability_svg
from classifier.train import expected_calibration_error

SVG = "{http://www.w3.org/2000/svg}"


def test_one_point_per_non_empty_bin_on_the_right_spot():
    _, table = expected_calibration_error([0, 0, 1, 1, 1], [0.05, 0.12, 0.15, 0.93, 0.97])
    root = ElementTree.fromstring(reliability_svg({"held-out": table}))
    points = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert [p.find(f"{SVG}title").text for p in points] == ["n=1", "n=2", "n=2"]
    # the 0.9-1.0 bin: mean predicted 0.95, all loaded -> right edge, top of the plot
    top_right = points[-1]
    assert float(top_right.get("cx")) > float(points[0].get("cx"))
    assert float(top_right.get("cy")) < float(points[0].get("cy"))


def test_series_names_are_escaped_and_listed():
    _, table = expected_calibration_error([0, 1], [0.2, 0.8])
    svg = reliability_svg({"a <b> & c": table, "second": table})
    root = ElementTree.fromstring(svg)
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text and "(n=" in t.text]
    assert legend == ["a <b> & c (n=2)", "second (n=2)"]
