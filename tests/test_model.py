import contextlib
import json
import pickle
import shutil
import zlib

import pytest

from classifier.model import DEFAULT_ARTIFACT, FORMAT_VERSION, ModelError, load_model, manifest_path, save_model


@pytest.fixture
def artifact_copy(tmp_path):
    target = tmp_path / "lurid.joblib"
    shutil.copy(DEFAULT_ARTIFACT, target)
    shutil.copy(manifest_path(DEFAULT_ARTIFACT), manifest_path(target))
    return target


def test_committed_model_loads_with_its_manifest(model):
    manifest = model.manifest
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model_version"] == model.version
    assert manifest["training_corpora"] and all(len(c["sha256"]) == 64 for c in manifest["training_corpora"])
    assert "roc_auc" in manifest["held_out_metrics"]["paragraph"]
    assert DEFAULT_ARTIFACT.stat().st_size <= 20_000_000


def test_tampered_artifact_is_refused(artifact_copy):
    with open(artifact_copy, "r+b") as handle:
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError, match="does not match its manifest.*classifier.train"):
        load_model(artifact_copy)


def test_other_library_version_is_refused(artifact_copy):
    path = manifest_path(artifact_copy)
    manifest = json.loads(path.read_text())
    manifest["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        load_model(artifact_copy)


def test_missing_artifact_or_manifest_is_refused(tmp_path, artifact_copy):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nothing.joblib")
    manifest_path(artifact_copy).unlink()
    with pytest.raises(ModelError, match="manifest"):
        load_model(artifact_copy)


def test_save_then_load_round_trip(tmp_path, tiny_model):
    written = save_model(tiny_model, tmp_path / "m.joblib", {"profile": "test"})
    loaded = load_model(tmp_path / "m.joblib")
    assert loaded.version == "tiny" and loaded.manifest["sha256"] == written["sha256"]


class _Payload:
    """Unpickling this would create a file: the proof that a replaced artifact was never unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_replaced_artifact_is_refused_before_it_is_unpickled(artifact_copy, tmp_path, monkeypatch):
    import classifier.model

    marker = tmp_path / "unpickled"
    # written as the loader reads an artifact (format 5); the manifest still names the real artifact's hash
    artifact_copy.write_bytes(zlib.compress(pickle.dumps(_Payload(marker), protocol=5)))
    with monkeypatch.context() as unchecked:  # the payload works: with the check gone, loading it creates the file...
        unchecked.setattr(classifier.model, "verify_manifest", lambda *args, **kwargs: None)
        with contextlib.suppress(Exception):
            load_model(artifact_copy)
    assert marker.exists()
    marker.unlink()
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_model(artifact_copy)
    assert not marker.exists()  # ...and the loader refused it before unpickling


def test_an_operators_artifact_is_told_how_to_rebuild_it_there(tmp_path):
    """The hint named `python -m classifier.train`, which writes the packaged model, not the operator's file."""
    missing = tmp_path / "our model.joblib"
    with pytest.raises(ModelError) as refused:
        load_model(missing)
    assert f"python -m classifier.train --out '{missing}'" in str(refused.value)
