"""Finding models: local folders, the Hugging Face cache, and downloads for later offline use.

Offline first: a local folder or a cached snapshot is used without touching the network;
only a model that is in neither place is downloaded, and only when the hub can be reached
(pipeline/models/hub.py asks once, quickly; otherwise one line says so). Nothing here imports torch or
transformers, so listing and checking models stays instant.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelError, ModelNotAvailable
from pipeline.models.hub import fetch_snapshot, hub_host, hub_reachable

DEFAULT_TRANSLATOR = "Helsinki-NLP/opus-mt-nl-en"
DEFAULT_SUMMARIZER = "Qwen/Qwen2.5-0.5B-Instruct"

SAFE_WEIGHTS = ("*.safetensors",)
PICKLE_WEIGHTS = ("*.bin", "*.pt", "*.pth", "*.ckpt")
# What a model needs besides weights; tf/flax/rust weights and READMEs are never fetched.
SUPPORT_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.jinja", "*.tiktoken"]
# The translator is MarianMT only; its tokenizer is these three files.
TRANSLATOR_TYPE = "marian"
MARIAN_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
# A summarizer needs one of these (a fast tokenizer, or a slow one's vocabulary). Without any of them
# transformers 5 quietly builds an empty tokenizer, and the model is then shown no text at all.
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer.model",
    "spiece.model",
    "sentencepiece.bpe.model",
    "vocab.json",
    "vocab.txt",
)


@dataclass(frozen=True)
class ModelSource:
    """Where a model's files are. ``revision`` changes whenever the files do (it keys resume)."""

    spec: str
    path: Path
    origin: str  # "local folder", "cache" or "downloaded"
    revision: str


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, honouring HF_HUB_CACHE, HF_HOME and XDG_CACHE_HOME at call time."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface"
    )
    return Path(home).expanduser() / "hub"


def nlbrief_cache_dir() -> Path:
    """nlbrief's own cache (translation memory, converted models): ``$NLBRIEF_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/nlbrief``, else ``~/.cache/nlbrief``; read at call time."""
    folder = os.environ.get("NLBRIEF_CACHE_DIR")
    if not folder:
        folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "nlbrief")
    return Path(folder).expanduser()


def offline_mode() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def looks_like_path(spec: str) -> bool:
    """Hub ids are "name" or "org/name"; anything else can only mean a folder."""
    return spec.startswith((".", "/", "~")) or not HUB_ID.match(spec)


def weight_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(safetensors files, pickle files) directly inside ``folder``."""
    safe = sorted(p for pattern in SAFE_WEIGHTS for p in folder.glob(pattern))
    pickled = sorted(p for pattern in PICKLE_WEIGHTS for p in folder.glob(pattern))
    return safe, pickled


def folder_revision(folder: Path) -> str:
    """A cheap digest of a folder's files: names, sizes and modification times, plus config contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        if path.suffix == ".json" and stat.st_size < 1_000_000:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _repo_cache_folder(repo_id: str) -> Path:
    return hub_cache_dir() / ("models--" + repo_id.replace("/", "--"))


def cached_snapshot(repo_id: str) -> Path | None:
    """The best cached snapshot of ``repo_id``: main's if it has safetensors, else any that has them
    (a safetensors conversion fetched from a pull-request ref), else main's."""
    repo = _repo_cache_folder(repo_id)
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    main = None
    ref = repo / "refs" / "main"
    commit = ref.read_text().strip() if ref.is_file() else ""
    if commit:  # an empty ref (interrupted write) would otherwise name the snapshots folder itself
        candidate = snapshots / commit
        main = candidate if candidate.is_dir() else None
    if main is not None and weight_files(main)[0]:
        return main
    with_safe = [s for s in snapshots.iterdir() if s.is_dir() and weight_files(s)[0]]
    if with_safe:
        return max(with_safe, key=lambda s: s.stat().st_mtime)
    if main is not None:
        return main
    others = [s for s in snapshots.iterdir() if s.is_dir() and (s / "config.json").exists()]
    return max(others, key=lambda s: s.stat().st_mtime) if others else None


def not_available(spec: str, option: str, reason: str) -> ModelNotAvailable:
    return ModelNotAvailable(
        f"model {spec!r} is not available: {reason}. Fix: run `nlbrief models pull {spec}` on a "
        "connected machine (and copy its cache here, pointing HF_HOME at it), "
        f"or pass {option} DIR with a local model folder"
    )


def locate_model(spec: str, *, option: str = "--translator-model", download: bool = True) -> ModelSource:
    """Resolve a hub id or a folder to files on disk, downloading only when allowed and needed."""
    folder = Path(spec).expanduser()
    if folder.is_dir():
        return ModelSource(spec, folder.resolve(), "local folder", folder_revision(folder))
    if folder.exists():
        raise ModelError(f"{spec} is a file, not a model folder; pass the folder that holds config.json")
    if looks_like_path(spec):
        raise ModelNotAvailable(
            f"model folder {spec!r} does not exist; check the path, or pass {option} with a folder "
            "that holds config.json (or a hub id such as Helsinki-NLP/opus-mt-nl-en)"
        )
    snapshot = cached_snapshot(spec)
    if snapshot is not None:
        return ModelSource(spec, snapshot, "cache", snapshot.name)
    if not download:
        raise not_available(spec, option, f"it is not in the local cache ({hub_cache_dir()})")
    if offline_mode():
        raise not_available(
            spec, option, f"it is not in the local cache ({hub_cache_dir()}) and HF_HUB_OFFLINE is set"
        )
    if not hub_reachable():
        raise no_network(spec, option)
    return download_model(spec, option=option)


def no_network(spec: str, option: str) -> ModelNotAvailable:
    return ModelNotAvailable(
        f"model {spec!r} is not on this machine and the Hugging Face Hub ({hub_host()}) cannot be reached "
        f"(no network): run `nlbrief models pull {spec}` on a connected machine and copy HF_HOME, "
        f"or pass {option} DIR with a local model folder"
    )


def download_model(repo_id: str, *, option: str = "--translator-model") -> ModelSource:
    """Fetch what the model needs into the hub cache, preferring safetensors weights over pickles."""
    if offline_mode():
        raise not_available(repo_id, option, "HF_HUB_OFFLINE is set, so nothing can be downloaded")
    try:
        path = fetch_snapshot(repo_id, hub_cache_dir(), SUPPORT_FILES, list(SAFE_WEIGHTS))
    except Exception as err:  # noqa: BLE001 - any network or hub failure means "not available"
        raise ModelNotAvailable(
            f"model {repo_id!r} could not be downloaded ({failure_reason(err)}); check the id (or, for a "
            f"gated model, your Hugging Face token), or pass {option} DIR with a local model folder"
        ) from err
    return ModelSource(repo_id, path, "downloaded", path.name)


def failure_reason(err: Exception) -> str:
    """An exception in one short line, for messages."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0][:160]}" if text else type(err).__name__


def check_model_folder(folder: Path, *, allow_pickle: bool, option: str) -> Path | None:
    """Raise with what is missing unless ``folder`` holds a loadable model; returns the weights file
    format's first file. Pickle weights can run code when loaded, so they need explicit consent."""
    if not (folder / "config.json").is_file():
        raise ModelError(
            f"{folder} is not a model folder: config.json is missing; pass {option} with a folder "
            "saved by save_pretrained() or fetched by `nlbrief models pull`"
        )
    safe, pickled = weight_files(folder)
    if safe:
        return safe[0]
    if pickled and not allow_pickle:
        names = ", ".join(p.name for p in pickled)
        raise ModelError(
            f"{folder} has only pickle weights ({names}), which can run code when loaded; "
            "use a safetensors copy, or pass --allow-pickle if you trust the source"
        )
    if pickled:
        return pickled[0]
    raise ModelError(
        f"{folder} has no weights (model.safetensors); the folder is incomplete, pull or copy it again"
    )


def read_config(folder: Path, *, option: str) -> dict[str, object]:
    """A model folder's config.json as a dict, or a ModelError that says what is wrong with it."""
    path = folder / "config.json"
    if not path.is_file():
        raise ModelError(
            f"{folder} is not a model folder: config.json is missing; pass {option} with a folder "
            "saved by save_pretrained() or fetched by `nlbrief models pull`"
        )
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"{path} cannot be read as JSON ({err}); pull or copy the model again") from err
    if not isinstance(config, dict):
        raise ModelError(f"{path} is not a JSON object; pull or copy the model again")
    return config


def model_kind(config: dict[str, object]) -> str:
    """What config.json says a model is, for messages: "a qwen2 model (Qwen2ForCausalLM)"."""
    architectures = config.get("architectures")
    names = ", ".join(str(a) for a in architectures) if isinstance(architectures, list) else ""
    return f"a {config.get('model_type') or 'untyped'} model ({names or 'no architectures'})"


def check_translator_folder(folder: Path, *, option: str = "--translator-model") -> None:
    """Raise unless ``folder`` holds a MarianMT model with its tokenizer files.

    Checked before transformers is imported: anything else (a summarizer, an unknown type) would
    otherwise load half-way, or load as Marian with the wrong weights, and fail far from the cause.
    """
    config = read_config(folder, option=option)
    if config.get("model_type") != TRANSLATOR_TYPE:
        raise ModelError(
            f"{folder} holds {model_kind(config)}, not a MarianMT translator (config.json model_type "
            f"{config.get('model_type')!r}, expected {TRANSLATOR_TYPE!r}); pass {option} with a MarianMT "
            f"folder such as {DEFAULT_TRANSLATOR}"
        )
    missing = [name for name in MARIAN_TOKENIZER_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"{folder} is incomplete: {', '.join(missing)} missing (a MarianMT tokenizer needs "
            f"{', '.join(MARIAN_TOKENIZER_FILES)}); pull or copy the model again"
        )


def check_tokenizer_files(folder: Path) -> None:
    """Raise unless ``folder`` has a file transformers can build a tokenizer from."""
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise ModelError(
            f"{folder} is incomplete: tokenizer.json is missing (and no other tokenizer file, such as "
            "spiece.model or vocab.json, is there); pull or copy the model again"
        )


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True)
class ModelStatus:
    role: str
    spec: str
    available: bool
    where: str  # folder path, or why it is not available
    problem: str | None = None  # the whole message, fix included, when not available


def model_status(role: str, spec: str) -> ModelStatus:
    """Whether ``spec`` can be used offline right now, without downloading anything."""
    option = f"--{role}-model"
    try:
        source = locate_model(spec, download=False, option=option)
        check_model_folder(source.path, allow_pickle=True, option=option)
    except ModelError as err:
        return ModelStatus(role, spec, available=False, where=str(err).split(". Fix:")[0], problem=str(err))
    return ModelStatus(role, spec, available=True, where=f"{source.path} ({source.origin})")


def describe_model(spec: str) -> dict[str, object]:
    """What ``nlbrief models info`` shows: location, revision, weights, architecture, size."""
    source = locate_model(spec, download=False, option="MODEL")
    config: dict[str, object] = {}
    config_path = source.path / "config.json"
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelError(
                f"{config_path} cannot be read as JSON ({err}); pull or copy the model again"
            ) from err
        if not isinstance(config, dict):
            raise ModelError(f"{config_path} is not a JSON object; pull or copy the model again")
    safe, pickled = weight_files(source.path)
    return {
        "spec": spec,
        "path": str(source.path),
        "origin": source.origin,
        "revision": source.revision,
        "model_type": config.get("model_type"),
        "architectures": config.get("architectures"),
        "max_position_embeddings": config.get("max_position_embeddings"),
        "weights": [p.name for p in safe] or [p.name for p in pickled],
        "weights_format": "safetensors" if safe else ("pickle" if pickled else "none"),
        "size_mb": round(folder_size(source.path) / 1e6, 1),
        "files": sorted(p.name for p in source.path.iterdir()),
    }


class ModelHandle:
    """A model named on the command line: looked up on disk once (for resume checks, no network),
    fetched only when work needs it."""

    def __init__(self, spec: str, option: str) -> None:
        self.spec = spec
        self.option = option
        self._source: ModelSource | None = None
        self._looked = False

    def on_disk(self) -> ModelSource | None:
        if not self._looked:
            self._looked = True
            try:
                self._source = locate_model(self.spec, download=False, option=self.option)
            except ModelError:
                self._source = None
        return self._source

    def fetch(self) -> ModelSource:
        self._source = self.on_disk() or locate_model(self.spec, download=True, option=self.option)
        return self._source

    def require(self) -> None:
        """Before any work: the model is on disk, or downloaded now. A missing one fails the run
        at once (one line with the fix), not after another model has done a wave of work."""
        self.fetch()

    def identity(self) -> tuple[str, str | None]:
        """(name, revision) for fingerprints: a local folder by its absolute path, a hub model by its id."""
        source = self.on_disk()
        name = str(source.path) if source and source.origin == "local folder" else self.spec
        return name, source.revision if source else None

    def provenance(self, key: str) -> dict[str, str | None]:
        """``{key: spec, key_path: folder, key_revision: revision}`` for records and manifests."""
        source = self._source
        return {
            key: self.spec,
            f"{key}_path": str(source.path) if source else None,
            f"{key}_revision": source.revision if source else None,
        }
