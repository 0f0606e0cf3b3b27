"""The model card: what a client may know about the loaded model, from its manifest.

Everything here comes from the manifest that `load_model` verified; nothing
is measured at run time. Each operating threshold is given with the use it
was chosen for, so a client can pick one by purpose rather than by number.
"""

from __future__ import annotations

from .model import LuridModel

MODEL_NAME = "lurid"
# What each named operating point in the manifest is for (see classifier/train.py).
THRESHOLD_USES = {
    "extension": "high precision: highlight or flag only what is very likely loaded, for the browser extension",
    "triage": "high recall: miss as little loaded text as possible, for moderators ranking feeds",
    "default": "the model's default when a request gives no threshold",
}


def model_card(model: LuridModel) -> dict:
    """Version, training corpora with sha256 and licences, held-out metrics, thresholds per use."""
    manifest = model.manifest
    return {
        "name": MODEL_NAME,
        "version": model.version,
        "format_version": manifest.get("format_version"),
        "sha256": manifest.get("sha256"),
        "profile": manifest.get("profile"),
        "default_threshold": model.default_threshold,
        "thresholds": {name: {"threshold": value, "use": THRESHOLD_USES.get(name, "")}
                       for name, value in model.thresholds.items()},
        "training_corpora": manifest.get("training_corpora", []),
        "held_out_metrics": manifest.get("held_out_metrics", {}),
        "libraries": manifest.get("libraries", {}),
    }
