"""The model artifact: one file (a zlib-compressed pickle, which joblib.load also
reads) and the manifest that vouches for it.

The manifest (JSON, beside the artifact) carries the format version, the model
version, the library versions it was built with, each training corpus with
its sha256 and licence, and held-out metrics. `load_model` checks the
manifest's format, the artifact's sha256 and the library versions *before*
unpickling, and refuses a mismatch with a message that says how to retrain.
Only the packaged artifact, or one an operator names in LURID_MODEL, is ever
loaded: never a path that comes with a request or a record.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shlex
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# 2: the junk model's cues gained the main-text columns (session 7); a format-1 artifact cannot score.
# 3: the junk model holds several members, one per composition draw (session 8).
# 4: ... and its own text decision settings; its mojibake cue no longer fires on curly quotes (session 8).
# 5: a zlib-compressed pickle (protocol 5) read with the C unpickler: 0.03 s at start-up, joblib.load took 0.15 s.
# 6: the junk model's cues gained the dated-entry cue (session 20); a format-5 artifact cannot score.
FORMAT_VERSION = 6
PICKLE_PROTOCOL = 5
ZLIB_LEVEL = 6
MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_ARTIFACT = MODEL_DIR / "lurid.joblib"
RETRAIN_HINT = "Rebuild it with `python -m classifier.train` (or `make model`)."
# Libraries whose pickles are only supported on the same minor version.
# trafilatura's output is a junk-model input (maintext.py): another minor version may read pages differently
PINNED_LIBRARIES = ("scikit-learn", "trafilatura")


class ModelError(RuntimeError):
    """The artifact is missing, altered, or was built for other library versions."""


@dataclass
class LuridModel:
    """Everything scoring needs, in one picklable object."""

    loaded: object  # loaded.LoadedModel
    junk: object  # junk.JunkModel
    version: str
    default_threshold: float
    thresholds: dict = field(default_factory=dict)  # named operating points
    manifest: dict = field(default_factory=dict)  # filled in by load_model


def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name)
            for name in ("scikit-learn", "numpy", "scipy", "joblib", "nltk", "regex", "ftfy", "lxml", "trafilatura")}


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(artifact: Path) -> Path:
    return artifact.with_suffix(".manifest.json")


def save_model(model: LuridModel, artifact: str | Path, manifest: dict) -> dict:
    """Write the artifact and its manifest; return the manifest as written."""
    artifact = Path(artifact)
    artifact.parent.mkdir(parents=True, exist_ok=True)
    model.manifest = {}
    artifact.write_bytes(zlib.compress(pickle.dumps(model, protocol=PICKLE_PROTOCOL), ZLIB_LEVEL))
    manifest = {
        "format_version": FORMAT_VERSION,
        "model_version": model.version,
        "artifact": artifact.name,
        "sha256": sha256_file(artifact),
        "libraries": library_versions(),
        **manifest,
    }
    manifest_path(artifact).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def retrain_hint(artifact: Path) -> str:
    """How to rebuild `artifact`: the packaged one with the plain command, an operator's (LURID_MODEL) with --out."""
    if Path(artifact).resolve() == DEFAULT_ARTIFACT.resolve():
        return RETRAIN_HINT
    return (f"Rebuild it with `python -m classifier.train --out {shlex.quote(str(artifact))}` (add "
            "`--profile research` for a research model; with LURID_MODEL unset, the packaged model is used).")


def verify_manifest(artifact: Path, content: bytes | None = None) -> dict:
    """Check the manifest against the artifact and this environment, without unpickling.

    `content`, when given, is the artifact's bytes as read once by the caller:
    the bytes that are hashed are then the very bytes that get unpickled.
    """
    hint = retrain_hint(artifact)
    if content is None and not artifact.exists():
        raise ModelError(f"model artifact not found at {artifact}. {hint}")
    try:
        manifest = json.loads(manifest_path(artifact).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"manifest {manifest_path(artifact)} is missing. {hint}") from None
    except json.JSONDecodeError as error:
        raise ModelError(f"manifest {manifest_path(artifact)} is not valid JSON ({error}). {hint}") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"artifact format {manifest.get('format_version')!r} is not {FORMAT_VERSION}. {hint}")
    actual = sha256_file(artifact) if content is None else hashlib.sha256(content).hexdigest()
    if actual != manifest.get("sha256"):
        raise ModelError(f"{artifact} does not match its manifest (sha256 {actual[:12]}… "
                         f"expected {str(manifest.get('sha256'))[:12]}…): refusing to load it. {hint}")
    installed = library_versions()
    for name in PINNED_LIBRARIES:
        built = manifest.get("libraries", {}).get(name, "?")
        if _minor(built) != _minor(installed[name]):
            raise ModelError(f"model was built with {name} {built} but {installed[name]} is installed. "
                             f"Install {name}=={built} or {hint[0].lower()}{hint[1:]}")
    return manifest


def load_model(artifact: str | Path | None = None) -> LuridModel:
    """Verify, then load, the artifact (default: LURID_MODEL, else the packaged one)."""
    artifact = Path(artifact or os.environ.get("LURID_MODEL") or DEFAULT_ARTIFACT)
    hint = retrain_hint(artifact)
    try:
        content = artifact.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"model artifact not found at {artifact}. {hint}") from None
    except OSError as error:
        raise ModelError(f"model artifact not readable at {artifact} ({error.strerror}). {hint}") from None
    manifest = verify_manifest(artifact, content)
    try:
        model = pickle.loads(zlib.decompress(content))
    except Exception as error:  # an unpicklable artifact must stop start-up with a message, whatever broke
        raise ModelError(f"{artifact} could not be loaded ({type(error).__name__}: {error}). {hint}") from None
    if not isinstance(model, LuridModel):
        raise ModelError(f"{artifact} does not hold a lurid model. {hint}")
    model.manifest = manifest
    return model


@lru_cache(maxsize=1)
def default_model() -> LuridModel:
    """The operator's model, loaded once per process."""
    return load_model()
