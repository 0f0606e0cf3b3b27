"""The evaluation runs on whatever corpora are present and says which are missing."""

from classifier.evaluate import evaluate, render_markdown
from classifier.train import expected_calibration_error, operating_points

import numpy as np


def write_fake_datasets(root):
    (root / "babe").mkdir(parents=True)
    rows = ["text;news_link;outlet;topic;type;label_bias;label_opinion;biased_words"]
    rows += [f"The shameless regime unleashed a terrifying crackdown {i}.;x;y;z;w;Biased;o;[]" for i in range(5)]
    rows += [f"The committee met on Tuesday to discuss item {i}.;x;y;z;w;Non-biased;o;[]" for i in range(5)]
    (root / "babe" / "final_labels_SG2.csv").write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    (root / "stop_clickbait").mkdir()
    (root / "stop_clickbait" / "clickbait_data").write_text("You Won't Believe This\n\nShocking Trick\n")
    (root / "stop_clickbait" / "non_clickbait_data").write_text("Council approves budget\nRain expected\n")


def test_evaluate_reports_present_corpora_and_names_missing_ones(model, tmp_path):
    write_fake_datasets(tmp_path)
    report = evaluate(model, tmp_path, log=lambda message: None)
    assert report["corpora"]["babe"]["roc_auc"] > 0.5
    assert report["corpora"]["babe"]["n"] == 10
    assert "missing" in report["corpora"]["ptc_loaded_language"]
    assert "missing" in report["corpora"]["wcxb_dev_articles"]
    assert report["authored_held_out"]["roc_auc"] > 0.9
    flagged, headings = report["authored_held_out"]["headings_flagged"]
    assert headings > 0 and 0 <= flagged <= headings
    markdown = render_markdown(report)
    assert "missing: skipped" in markdown and "| babe | 10 |" in markdown
    assert f"{flagged} of {headings} held-out section headings" in markdown


def test_calibration_error_and_operating_points():
    labels = np.array([0, 0, 1, 1])
    perfect, table = expected_calibration_error(labels, np.array([0.0, 0.0, 1.0, 1.0]))
    assert perfect == 0.0 and sum(row["n"] for row in table) == 4
    poor, _ = expected_calibration_error(labels, np.array([0.9, 0.9, 0.1, 0.1]))
    assert poor > 0.5
    points = operating_points(np.array([0, 0, 0, 1, 1, 1]), np.array([0.1, 0.2, 0.6, 0.4, 0.8, 0.9]))
    assert points["triage"] <= points["default"] <= points["extension"]


def test_junk_figures_combine_page_by_page_not_as_a_mean_of_rates():
    from classifier.evaluate import combine_junk, summarise_junk

    small = summarise_junk([{"cut": True, "trailing_chars": 100, "trailing_taken": 0, "block": True}])
    large = summarise_junk([{"cut": False, "trailing_chars": 900, "trailing_taken": 900, "block": True}] * 3)
    both = combine_junk([small, large])
    assert both["pages"] == 4 and both["pages_cut"] == 1
    assert both["article_text_cut_share"] == 0.25  # a mean of the two rates would say 0.5
    assert both["trailing_recall_chars"] == round(2700 / 2800, 4)
    assert combine_junk([{"pages": 3, "article_text_cut_share": 0.1}]) is None  # an old report lacks the counts


def test_targets_table_says_met_missed_or_not_measured():
    from classifier.evaluate import render_targets

    report = {"corpora": {"babe": {"roc_auc": 0.77}, "ptc_loaded_language": {"roc_auc": 0.74}},
              "authored_held_out": {"ece": 0.02}, "research": {"babe": {"weighted_f1": 0.70}}}
    lines = "\n".join(render_targets(report))
    assert "| BABE ROC AUC, default model | ≥ 0.75 | 0.77 | yes |" in lines
    assert "| PTC loaded_language ROC AUC, default model | ≥ 0.85 | 0.74 | **no** |" in lines
    assert "| Calibration: expected calibration error, authored held-out | ≤ 0.05 | 0.02 | yes |" in lines
    assert "0.7 | **no**; measured by `python -m classifier.research`" in lines
    assert "| Stop Clickbait accuracy, nested 5-fold CV | ≥ 0.985 | — | not measured: run" in lines
    assert "corpus missing" in lines  # WCXB absent
    # each missed target says what was tried, once
    assert lines.count("- **PTC.**") == 1 and "- **BABE, research model.**" in lines
