"""The research model's grouped cross-validation, on invented rows (no BABE or PTC needed)."""

from classifier import research

LOADED = ["A shameless, terrifying disgrace of a plan {}", "Officials slam the fiasco as a disgrace {}",
          "A terrifying fiasco that will gut the town {}"]
NEUTRAL = ["The council approved the budget on day {}", "The report was published on page {}",
           "Officials met to discuss the plan in room {}"]


def rows(prefix: str, count: int) -> list[dict]:
    made = []
    for i in range(count):
        for template, label in [(t, 1) for t in LOADED] + [(t, 0) for t in NEUTRAL]:
            made.append({"text": template.format(i), "label": label, "group": f"{prefix}{i}"})
    return made


def test_grouped_cv_scores_every_target_row_out_of_fold(tiny_lexicon):
    target, others = rows("t", 10), rows("o", 5)
    result = research.grouped_cv(target, others, tiny_lexicon, log=lambda message: None)
    assert result["n"] == len(target) and result["positives"] == len(target) // 2
    assert result["roc_auc"] > 0.9  # the invented rows are easy; a broken fold split would not be


def test_report_says_when_a_corpus_is_missing():
    report = research.render({"babe": {"missing": "/nowhere/babe"}}, 1.0)
    assert "| babe | missing: skipped |" in report and "never to be shipped" in report
