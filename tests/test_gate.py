"""The evaluation gate: pins, epsilons, data changes, and lowering only with a reason."""

import json

import pytest

from classifier import gate

DATA = {"training_data": "abc"}


def measured(value, data=DATA):
    return {"authored.roc_auc": {"value": value, "data": data}}


def floors(pin, data=DATA):
    return {"measures": {"authored.roc_auc": {"pin": pin, "data": data}}}


def test_a_figure_within_epsilon_of_its_floor_passes_and_one_below_fails():
    assert gate.check(measured(0.985), floors(0.99))[0][1] == "ok"
    assert gate.check(measured(0.979), floors(0.99))[0][1] == "FAILED"


def test_a_ceiling_fails_when_the_figure_rises_past_it():
    result = {"authored.ece": {"value": 0.08, "data": DATA}}
    pins = {"measures": {"authored.ece": {"pin": 0.03, "data": DATA}}}
    assert gate.check(result, pins)[0][1] == "FAILED"


def test_changed_data_or_a_missing_pin_fails_and_a_missing_corpus_is_skipped():
    assert "data changed" in gate.check(measured(0.99, {"training_data": "new"}), floors(0.99))[0][2]
    assert "no pin" in gate.check(measured(0.99), {})[0][2]
    skipped = gate.check({"babe.roc_auc": {"skipped": "not found"}}, {})
    assert skipped == [("babe.roc_auc", "skipped", "not found")]


def test_lowering_a_pin_needs_a_reason_which_is_kept():
    with pytest.raises(ValueError, match="allow-lower"):
        gate.updated_floors(measured(0.98), floors(0.99), None, "2026-11-25")
    new = gate.updated_floors(measured(0.98), floors(0.99), "new hard cases in the corpus", "2026-11-25")
    assert new["measures"]["authored.roc_auc"]["pin"] == 0.98
    assert new["lowered"][0]["reason"] == "new hard cases in the corpus"


def test_gate_end_to_end_without_public_corpora(tmp_path, capsys):
    pins = tmp_path / "floors.json"
    missing = tmp_path / "no-datasets"
    assert gate.main(["--floors", str(pins), "--datasets", str(missing), "--update"]) == 0
    assert set(json.loads(pins.read_text())["measures"]) == {
        "authored.roc_auc", "authored.ece", "composed_junk.block_start_exact",
        "composed_junk.clean_documents_cut", "composed_junk.documents_with_article_text_cut", "subtle.roc_auc"}
    assert gate.main(["--floors", str(pins), "--datasets", str(missing)]) == 0
    output = capsys.readouterr().out
    assert "skipped  babe.roc_auc" in output and "gate: passed (some measures skipped" in output
    raised = json.loads(pins.read_text())
    raised["measures"]["authored.roc_auc"]["pin"] = 1.5  # an impossible floor must fail the gate
    pins.write_text(json.dumps(raised))
    assert gate.main(["--floors", str(pins), "--datasets", str(missing)]) == 1
