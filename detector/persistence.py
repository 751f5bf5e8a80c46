"""Saving and loading models with their provenance, and every way a model file can be wrong.

Loading a joblib file runs code stored in it (joblib is pickle): load only files you trust.
The ``.skops`` format is the safe way to share a model: it is loaded with an explicit list of
trusted types and runs no arbitrary code.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import sklearn

from ._version import __version__
from .dataset import EDITORIAL
from .errors import DetectorError, ModelError
from .model import LineModel

FORMAT = "detector-model"
FORMAT_VERSION = 2  # 2: lexical view, binary boosted stage, presets
SKOPS_SUFFIX = ".skops"
MODEL_SUFFIXES = (".joblib", SKOPS_SUFFIX)
# Types a .skops model may hold without the user trusting them by hand.
TRUSTED_MODULE_PREFIXES = ("detector.", "sklearn.", "numpy.", "scipy.", "builtins.", "collections.")
RETRAIN = "retrain it with `detector train DATA -o MODEL`"


@dataclass(frozen=True)
class LoadedModel:
    """A model and its metadata as read from a file."""

    model: LineModel
    metadata: dict[str, Any]
    path: str
    format: str  # "joblib" or "skops"


def default_model_path() -> Path:
    """Where the embedded default model lives inside the installed package."""
    return Path(str(resources.files("detector") / "models" / "default.joblib"))


def sha256_file(path: str | Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def check_model_path(path: str | Path) -> Path:
    """Refuse, before any long work, a place a model cannot be saved or loaded back from."""
    path = Path(path)
    if path.suffix not in MODEL_SUFFIXES:
        raise DetectorError(
            f"{path}: a model file is named .joblib or .skops (the safe format), not {path.suffix or 'without a suffix'}"
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise DetectorError(f"{path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise DetectorError(f"{path}: cannot write in {parent}")
    if path.exists() and not path.is_file():
        raise DetectorError(f"{path}: exists and is not a file")
    return path


def save_model(model: LineModel, metadata: dict[str, Any], path: str | Path) -> None:
    """Write ``model`` with ``metadata`` atomically (joblib, or skops for a ``.skops`` name)."""
    path = check_model_path(path)
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "metadata": dict(metadata), "model": model}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if path.suffix == SKOPS_SUFFIX:
            import skops.io as sio

            sio.dump(payload, tmp)
        else:
            joblib.dump(payload, tmp, compress=3)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def untrusted_types(path: str | Path) -> list[str]:
    """Types in a ``.skops`` file outside the modules detector trusts (empty: safe to load)."""
    import skops.io as sio

    try:
        found = sio.get_untrusted_types(file=str(path))
    except Exception as exc:  # a foreign or damaged zip: say so, never a traceback
        raise ModelError(f"{path}: not a readable .skops model ({type(exc).__name__}); {RETRAIN}") from None
    return [t for t in found if not t.startswith(TRUSTED_MODULE_PREFIXES)]


def _read_payload(path: Path) -> tuple[Any, str]:
    if path.suffix == SKOPS_SUFFIX:
        import skops.io as sio

        bad = untrusted_types(path)
        if bad:
            raise ModelError(f"{path}: refuses to load untrusted types {', '.join(bad)}; only load models you trust")
        trusted = sio.get_untrusted_types(file=str(path))
        return sio.load(str(path), trusted=trusted), "skops"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # we check versions ourselves, with a clearer message
            return joblib.load(path), "joblib"
    except Exception as exc:  # a damaged pickle can raise almost anything
        raise ModelError(
            f"{path}: not a readable detector model (truncated, corrupt or not a joblib file: "
            f"{type(exc).__name__}); {RETRAIN}"
        ) from None


def check_payload(payload: Any, path: str | Path) -> None:
    """Raise :class:`ModelError` with one sentence for each way a payload can be wrong."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelError(f"{path}: this file holds {type(payload).__name__}, not a detector model; {RETRAIN}")
    version = payload.get("format_version")
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format {version} was made by an older detector (this one reads {FORMAT_VERSION}); {RETRAIN}"
        )
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format {version!r} is newer than this detector reads ({FORMAT_VERSION}); "
            f"upgrade detector or {RETRAIN}"
        )
    meta = payload.get("metadata") or {}
    made_with = str(meta.get("sklearn_version", "unknown"))
    if _minor(made_with) != _minor(sklearn.__version__):
        raise ModelError(
            f"{path}: trained with scikit-learn {made_with}, but {sklearn.__version__} is installed; "
            f"{RETRAIN} or install scikit-learn=={made_with}"
        )
    labels = meta.get("labels") or []
    if EDITORIAL not in labels:
        raise ModelError(
            f"{path}: the model's labels {labels} lack '{EDITORIAL}'; {RETRAIN} on data with editorial lines"
        )
    model = payload.get("model")
    if not isinstance(model, LineModel):
        raise ModelError(f"{path}: the model inside is a {type(model).__name__}, not a LineModel; {RETRAIN}")
    _check_features(model, path)


def _check_features(model: LineModel, path: str | Path) -> None:
    """The model must read the columns this detector computes, by name and in order.

    Within one format version the features can still grow (a new cue, a new context column); a
    model trained before would otherwise fail deep inside numpy on its first page.
    """
    trained = list(getattr(model, "feature_names_", []))
    current = model.numeric_names
    if trained == current:
        return

    def some(names: list[str]) -> str:
        return f"{len(names)} ({', '.join(names[:3])}{', …' if len(names) > 3 else ''})"

    new = [n for n in current if n not in trained]
    gone = [n for n in trained if n not in current]
    parts = ([f"this detector adds {some(new)}"] if new else []) + (
        [f"no longer computes {some(gone)}"] if gone else []
    )
    what = ", ".join(parts) or "the same columns in another order"
    raise ModelError(
        f"{path}: the model reads {len(trained)} feature columns made by another detector version ({what}); {RETRAIN}"
    )


def load_model(path: str | Path, *, expected_sha256: str | None = None) -> LoadedModel:
    """Read and check a model file. Loading a joblib file runs code: load only trusted files."""
    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model file; train one with `detector train DATA -o {path}`")
    if path.is_dir():
        raise ModelError(f"{path}: is a folder, not a model file")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ModelError(f"{path}: the model file is empty; {RETRAIN}")
        if expected_sha256 is not None and sha256_file(path) != expected_sha256:
            raise ModelError(
                f"{path}: the embedded model's SHA-256 does not match; reinstall detector or run `make model`"
            )
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror})") from None
    payload, fmt = _read_payload(path)
    check_payload(payload, path)
    return LoadedModel(payload["model"], dict(payload["metadata"]), str(path), fmt)


def load_default() -> LoadedModel:
    """Load the embedded default model, checking its SHA-256 against the shipped checksum."""
    path = default_model_path()
    sha_file = path.with_name(path.name + ".sha256")
    try:
        expected = sha_file.read_text().split()[0]
    except (OSError, IndexError):
        raise ModelError(
            f"{sha_file}: the embedded model's checksum is missing; reinstall detector or run `make model`"
        ) from None
    return load_model(path, expected_sha256=expected)


def base_metadata() -> dict[str, Any]:
    """The provenance fields every saved model carries."""
    return {"detector_version": __version__, "sklearn_version": sklearn.__version__, "format_version": FORMAT_VERSION}


def describe_model_file(path: str | Path | None) -> dict[str, Any]:
    """What ``detector info`` shows: the file, its format and trust, and the model's metadata."""
    p = default_model_path() if path is None else Path(path)
    loaded = load_default() if path is None else load_model(p)
    info: dict[str, Any] = {
        "file": str(p),
        "format": loaded.format,
        "size_bytes": p.stat().st_size,
        "sha256": sha256_file(p),
    }
    if loaded.format == "skops":
        info["untrusted_types"] = "none (safe to load)"
    else:
        info["trust"] = "joblib: loading runs code stored in the file; load only files you trust"
    info.update(loaded.metadata)
    return info


def describe_preset(preset: dict[str, Any]) -> str:
    """One line of what a preset measured where it was chosen.

    >>> describe_preset({"threshold": 0.5, "editorial_char_recall": 0.96, "junk_lines_removed": 0.9,
    ...                  "page_f1": 0.87, "chosen_for": "editorial char recall >= 0.96"})
    'threshold 0.5: editorial chars kept 0.960, junk lines removed 0.900, page F1 0.870 (editorial char recall >= 0.96)'
    """
    parts = [f"threshold {preset['threshold']:g}"]
    figures = [
        ("editorial chars kept", "editorial_char_recall"),
        ("junk lines removed", "junk_lines_removed"),
        ("page F1", "page_f1"),
    ]
    measured = [f"{label} {preset[key]:.3f}" for label, key in figures if key in preset]
    text = parts[0] + (": " + ", ".join(measured) if measured else "")
    return text + (f" ({preset['chosen_for']})" if preset.get("chosen_for") else "")


def write_checksum(path: str | Path) -> Path:
    """Write ``<path>.sha256`` (as sha256sum prints it), which :func:`load_default` checks."""
    path = Path(path)
    out = path.with_name(path.name + ".sha256")
    out.write_text(f"{sha256_file(path)}  {path.name}\n")
    return out
