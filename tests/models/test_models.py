"""Model location and loading safety: local folders, the hub cache, offline errors, pickle refusal, CLI.

Every test lays out its own fake Hugging Face cache under ``tmp_path`` (HF_HOME per test) and runs
with HF_HUB_OFFLINE=1; nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers.network import PROXY_VARIABLES, closed_endpoint

from pipeline.errors import ModelError, ModelNotAvailable, UnknownChoiceError
from pipeline.models import locate as models
from pipeline.models.hub import CONVERSION_BOT, _probe_address, hub_reachable
from pipeline.models.locate import (
    DEFAULT_SUMMARIZER,
    ModelSource,
    cached_snapshot,
    check_model_folder,
    describe_model,
    download_model,
    hub_cache_dir,
    locate_model,
    model_status,
)
from pipeline.translate.backends.contract import BackendOptions
from pipeline.translate.backends.registry import create_backend

NLBRIEF = Path(sys.executable).parent / "nlbrief"
OLD_NS = 1_600_000_000 * 10**9  # a fixed past mtime, so "now" always differs from it
CONFIG = b'{"model_type": "marian", "architectures": ["MarianMTModel"], "d_model": 32}'


@pytest.fixture(autouse=True)
def fake_hf_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty HF_HOME for each test, offline, with no cache override."""
    home = tmp_path / "hf"
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, ns=(OLD_NS, OLD_NS))
    return folder


def commit_hash(label: str) -> str:
    return hashlib.sha1(label.encode()).hexdigest()


def add_snapshot(repo_id: str, label: str, files: dict[str, bytes], *, main: bool = False) -> Path:
    """A snapshot laid out like huggingface_hub's cache: files are symlinks into blobs/."""
    repo = hub_cache_dir() / ("models--" + repo_id.replace("/", "--"))
    commit = commit_hash(label)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (repo / "blobs").mkdir(exist_ok=True)
    for name, data in files.items():
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / name).symlink_to(os.path.relpath(blob, snapshot))
    if main:
        (repo / "refs").mkdir(exist_ok=True)
        (repo / "refs" / "main").write_text(commit)
    return snapshot


SAFE_MODEL = {"config.json": CONFIG, "model.safetensors": b"safe weights", "source.spm": b"spm"}
PICKLE_MODEL = {"config.json": CONFIG, "pytorch_model.bin": b"pickle weights", "source.spm": b"spm"}


def assert_one_line_fix(message: str, spec: str, option: str) -> None:
    assert "\n" not in message and "\r" not in message, message
    assert repr(spec) in message
    assert f"nlbrief models pull {spec}" in message
    assert "HF_HOME" in message
    assert option in message


# --- 1. local folders ----------------------------------------------------------------------------


def test_local_folder_origin_path_and_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_files(tmp_path / "work" / "model", {**SAFE_MODEL, "vocab.json": b'{"a": 0}'})
    source = locate_model(str(folder))
    assert source.origin == "local folder"
    assert source.path == folder.resolve()
    assert source.spec == str(folder)
    revision = source.revision
    assert revision and revision != "main"

    # Stable: asking again, reading every file, or naming the folder differently changes nothing.
    assert locate_model(str(folder)).revision == revision
    for path in folder.iterdir():
        path.read_bytes()
    monkeypatch.chdir(tmp_path / "work")
    again = locate_model("./model")
    assert (again.path, again.revision) == (folder.resolve(), revision)

    def changed(previous: str) -> str:
        current = locate_model(str(folder)).revision
        assert current != previous
        return current

    # Same size, new content (a fresh write): changes.
    (folder / "model.safetensors").write_bytes(b"SAFE WEIGHTS")
    revision = changed(revision)
    # New size, modification time put back: still changes.
    (folder / "model.safetensors").write_bytes(b"safe weights, retrained")
    os.utime(folder / "model.safetensors", ns=(OLD_NS, OLD_NS))
    revision = changed(revision)
    # Same size and same modification time, new JSON content: changes (configs are hashed).
    (folder / "vocab.json").write_bytes(b'{"b": 0}')
    os.utime(folder / "vocab.json", ns=(OLD_NS, OLD_NS))
    revision = changed(revision)
    # A new file: changes.
    (folder / "target.spm").write_bytes(b"spm")
    revision = changed(revision)
    assert locate_model(str(folder)).revision == revision


# --- 2. the hub cache ------------------------------------------------------------------------------


def test_cached_hub_model_is_found_offline(fake_hf_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "download_model", fail_if_called("download_model"))
    snapshot = add_snapshot("Org/name", "v1", SAFE_MODEL, main=True)
    assert snapshot.parent.parent.parent == fake_hf_home / "hub"

    source = locate_model("Org/name")
    assert source == ModelSource("Org/name", snapshot, "cache", commit_hash("v1"))
    assert locate_model("Org/name", download=False) == source
    assert check_model_folder(source.path, allow_pickle=False, option="--translator-model") == (
        snapshot / "model.safetensors"
    )
    status = model_status("translator", "Org/name")
    assert status.available and status.where == f"{snapshot} (cache)"


def test_main_snapshot_wins_over_newer_ones() -> None:
    main = add_snapshot("Org/name", "main", SAFE_MODEL, main=True)
    newer = add_snapshot("Org/name", "newer", SAFE_MODEL)
    os.utime(main, ns=(OLD_NS, OLD_NS))
    assert newer.stat().st_mtime > main.stat().st_mtime
    assert cached_snapshot("Org/name") == main
    assert cached_snapshot("Org/other") is None


def test_hub_cache_dir_honours_hf_hub_cache_over_hf_home(
    tmp_path: Path, fake_hf_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert hub_cache_dir() == fake_hf_home / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "elsewhere"))
    assert hub_cache_dir() == tmp_path / "elsewhere"
    snapshot = add_snapshot("Org/name", "v1", SAFE_MODEL, main=True)
    assert snapshot.is_relative_to(tmp_path / "elsewhere")
    assert locate_model("Org/name").path == snapshot
    monkeypatch.setenv("HF_HOME", str(tmp_path / "other-home"))
    assert locate_model("Org/name").path == snapshot  # HF_HOME does not matter while HF_HUB_CACHE is set
    monkeypatch.delenv("HF_HUB_CACHE")
    with pytest.raises(ModelNotAvailable):
        locate_model("Org/name")
    monkeypatch.delenv("HF_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub_cache_dir() == tmp_path / "xdg" / "huggingface" / "hub"


# --- 3. safetensors conversions in the cache ------------------------------------------------------


def test_cached_safetensors_conversion_beats_pickle_main() -> None:
    add_snapshot("Org/name", "main", PICKLE_MODEL, main=True)
    converted = add_snapshot("Org/name", "refs/pr/1", SAFE_MODEL)
    assert cached_snapshot("Org/name") == converted
    source = locate_model("Org/name")
    assert (source.path, source.revision) == (converted, commit_hash("refs/pr/1"))
    check_model_folder(source.path, allow_pickle=False, option="--translator-model")


def test_pickle_only_cache_is_found_but_refused_without_consent() -> None:
    main = add_snapshot("Org/name", "main", PICKLE_MODEL, main=True)
    assert cached_snapshot("Org/name") == main
    with pytest.raises(ModelError, match="--allow-pickle"):
        check_model_folder(main, allow_pickle=False, option="--translator-model")


def test_empty_main_ref_falls_back_to_a_real_snapshot() -> None:
    snapshot = add_snapshot("Org/name", "main", PICKLE_MODEL, main=True)
    (snapshot.parent.parent / "refs" / "main").write_text("")  # an interrupted write
    assert cached_snapshot("Org/name") == snapshot


# --- 4. what is not there ---------------------------------------------------------------------------


def fail_if_called(name: str):
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{name} must not be called")

    return fail


@pytest.mark.parametrize("option", ["--translator-model", "--summarizer-model"])
def test_uncached_hub_id_offline_is_one_line_with_the_fix(
    option: str, fake_hf_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "download_model", fail_if_called("download_model"))
    with pytest.raises(ModelNotAvailable) as caught:
        locate_model("Org/name", option=option)
    message = str(caught.value)
    assert_one_line_fix(message, "Org/name", option)
    assert "HF_HUB_OFFLINE" in message
    assert str(fake_hf_home / "hub") in message

    with pytest.raises(ModelNotAvailable) as caught:
        locate_model("Org/name", option=option, download=False)
    assert_one_line_fix(str(caught.value), "Org/name", option)


@pytest.mark.parametrize("spec", ["./no/such/dir", "/abs/missing", "no/such/dir", "~/no-such-model-dir"])
def test_missing_folder_is_not_available_without_trying_the_hub(
    spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("HF_HUB_OFFLINE")  # the hub is skipped because it is a path, not because offline
    monkeypatch.setattr(models, "download_model", fail_if_called("download_model"))
    monkeypatch.setattr(models, "cached_snapshot", fail_if_called("cached_snapshot"))
    with pytest.raises(ModelNotAvailable) as caught:
        locate_model(spec)
    message = str(caught.value)
    assert "does not exist" in message and "models pull" not in message
    assert "\n" not in message and spec in message and "--translator-model" in message


def test_a_file_is_not_a_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "download_model", fail_if_called("download_model"))
    weights = write_files(tmp_path / "model", SAFE_MODEL) / "model.safetensors"
    with pytest.raises(ModelError) as caught:
        locate_model(str(weights))
    assert not isinstance(caught.value, ModelNotAvailable)
    assert "is a file" in str(caught.value) and "config.json" in str(caught.value)


def test_download_refuses_at_once_when_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any use of huggingface_hub would fail here with "download failed (ImportError...)".
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    with pytest.raises(ModelNotAvailable) as caught:
        download_model("Some/model", option="--translator-model")
    message = str(caught.value)
    assert_one_line_fix(message, "Some/model", "--translator-model")
    assert "HF_HUB_OFFLINE" in message and "download failed" not in message


# --- downloads, with a fake hub (never the network) -----------------------------------------------


def pr(num: int, author: str, status: str = "open") -> SimpleNamespace:
    return SimpleNamespace(
        author=author, status=status, is_pull_request=True, git_reference=f"refs/pr/{num}", num=num
    )


class FakeHub:
    """Just enough of HfApi and snapshot_download for download_model."""

    def __init__(self, files: dict[str, list[str]], prs: list[SimpleNamespace], cache: Path) -> None:
        self.files, self.prs, self.cache = files, prs, cache
        self.downloads: list[tuple[str, str, list[str], str]] = []

    def api(self) -> FakeHub:
        return self

    def list_repo_files(self, repo_id: str, revision: str = "main") -> list[str]:
        return self.files[revision]

    def get_repo_discussions(self, repo_id: str, **filters: object) -> list[SimpleNamespace]:
        return list(self.prs)  # as if the server ignored the filters: the client must check

    def list_repo_refs(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("pull requests are found through discussions, which name their author")

    def snapshot_download(self, repo_id: str, *, revision: str, allow_patterns: list[str], cache_dir) -> str:
        self.downloads.append((repo_id, revision, allow_patterns, str(cache_dir)))
        path = self.cache / "snapshot"
        path.mkdir(exist_ok=True)
        return str(path)


@pytest.fixture
def fake_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import huggingface_hub

    def install(files: dict[str, list[str]], prs: list[SimpleNamespace]) -> FakeHub:
        hub = FakeHub(files, prs, tmp_path)
        monkeypatch.delenv("HF_HUB_OFFLINE")
        monkeypatch.setattr(huggingface_hub, "HfApi", hub.api)
        monkeypatch.setattr(huggingface_hub, "snapshot_download", hub.snapshot_download)
        return hub

    return install


def test_download_prefers_safetensors_and_never_fetches_pickles(fake_hub) -> None:
    hub = fake_hub({"main": ["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5"]}, [])
    source = download_model("Org/name")
    assert source.origin == "downloaded" and source.revision == "snapshot"
    [(repo_id, revision, patterns, cache_dir)] = hub.downloads
    assert (repo_id, revision, cache_dir) == ("Org/name", "main", str(hub_cache_dir()))
    assert "*.safetensors" in patterns and "*.json" in patterns
    assert not any(p.endswith((".bin", ".h5")) for p in patterns)


def test_download_takes_only_the_conversion_bots_pull_request(fake_hub) -> None:
    files = {
        "main": ["config.json", "pytorch_model.bin"],
        "refs/pr/1": ["config.json", "pytorch_model.bin", "model.safetensors"],
        "refs/pr/2": ["config.json", "pytorch_model.bin", "model.safetensors"],
        "refs/pr/3": ["config.json", "pytorch_model.bin", "model.safetensors"],
    }
    prs = [pr(1, "someone-else"), pr(2, CONVERSION_BOT, status="closed"), pr(3, CONVERSION_BOT)]
    hub = fake_hub(files, prs)
    download_model("Org/name")
    [(_, revision, patterns, _)] = hub.downloads
    assert revision == "refs/pr/3" and "*.safetensors" in patterns


def test_download_without_a_bot_conversion_falls_back_to_pickles(fake_hub) -> None:
    files = {"main": ["config.json", "pytorch_model.bin"], "refs/pr/1": ["model.safetensors"]}
    hub = fake_hub(files, [pr(1, "someone-else")])
    download_model("Org/name")
    [(_, revision, patterns, _)] = hub.downloads
    assert revision == "main"
    assert "pytorch_model*.bin" in patterns and "*.safetensors" not in patterns


# --- 5. what a model folder must hold ---------------------------------------------------------------


def test_check_model_folder(tmp_path: Path) -> None:
    option = "--translator-model"
    no_config = write_files(tmp_path / "no-config", {"model.safetensors": b"w"})
    with pytest.raises(ModelError, match="config.json") as caught:
        check_model_folder(no_config, allow_pickle=True, option=option)
    assert option in str(caught.value)

    no_weights = write_files(tmp_path / "no-weights", {"config.json": CONFIG, "source.spm": b"spm"})
    for allow_pickle in (False, True):
        with pytest.raises(ModelError, match="no weights"):
            check_model_folder(no_weights, allow_pickle=allow_pickle, option=option)

    pickled = write_files(tmp_path / "pickled", PICKLE_MODEL)
    with pytest.raises(ModelError) as caught:
        check_model_folder(pickled, allow_pickle=False, option=option)
    assert "--allow-pickle" in str(caught.value) and "pytorch_model.bin" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert check_model_folder(pickled, allow_pickle=True, option=option) == pickled / "pytorch_model.bin"

    both = write_files(tmp_path / "both", {**PICKLE_MODEL, "model.safetensors": b"w"})
    for allow_pickle in (False, True):
        assert (
            check_model_folder(both, allow_pickle=allow_pickle, option=option) == both / "model.safetensors"
        )


# --- 6. status and description of the tiny translator ----------------------------------------------


def test_status_and_description_of_the_tiny_translator(translator_dir: Path) -> None:
    status = model_status("translator", str(translator_dir))
    assert status.available
    assert status.where == f"{translator_dir.resolve()} (local folder)"

    info = describe_model(str(translator_dir))
    assert info["path"] == str(translator_dir.resolve())
    assert info["origin"] == "local folder"
    assert info["revision"] == locate_model(str(translator_dir)).revision
    assert info["model_type"] == "marian"
    assert info["architectures"] == ["MarianMTModel"]
    assert info["weights_format"] == "safetensors"
    assert info["weights"] == ["model.safetensors"]
    assert {"config.json", "source.spm", "target.spm", "vocab.json"} <= set(info["files"])
    json.dumps(info)  # what `nlbrief models info` prints


def test_missing_model_status_is_the_reason_without_the_fix() -> None:
    status = model_status("summarizer", DEFAULT_SUMMARIZER)
    assert not status.available
    assert DEFAULT_SUMMARIZER in status.where and "not in the local cache" in status.where
    assert "Fix:" not in status.where


def test_describe_a_broken_config_is_a_model_error(tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "broken", {"config.json": b'{"model_type": "mar', "model.safetensors": b"w"}
    )
    with pytest.raises(ModelError, match="config.json"):
        describe_model(str(folder))


# --- 7. the CLI, as installed ----------------------------------------------------------------------


def run_cli(*args: str, tmp_path: Path, offline: bool = True) -> subprocess.CompletedProcess[str]:
    """``offline=False``: HF_HUB_OFFLINE unset, as on a user's machine without a network; the hub
    endpoint is then a closed local port, so nothing is ever sent anywhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_", "TRANSFORMERS_"))}
    env.update(HF_HOME=str(tmp_path / "hf"))
    if offline:
        env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    else:
        env = {k: v for k, v in env.items() if k.lower() not in PROXY_VARIABLES}
        env["HF_ENDPOINT"] = closed_endpoint()
    env.pop("NLBRIEF_TRANSLATOR_MODEL", None)
    return subprocess.run(
        [str(NLBRIEF), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_cli_models_list(tiny_models_dir: Path, tmp_path: Path) -> None:
    translator_dir = tiny_models_dir / "translator"
    result = run_cli("models", "list", "--translator-model", str(translator_dir), tmp_path=tmp_path)
    # a missing model is a failure, with the fix on stderr (a script can test for it)
    assert result.returncode == 3, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "'Qwen/Qwen2.5-0.5B-Instruct'" in line
    assert "nlbrief models pull Qwen/Qwen2.5-0.5B-Instruct" in line and "--summarizer-model DIR" in line
    out = result.stdout
    translator, summarizer = out.split("summarizer")
    assert "translator" in translator and str(translator_dir) in translator
    assert f"available: {translator_dir.resolve()} (local folder)" in translator
    assert DEFAULT_SUMMARIZER == "Qwen/Qwen2.5-0.5B-Instruct"
    assert "Qwen/Qwen2.5-0.5B-Instruct" in summarizer and "MISSING:" in summarizer

    summarizer_dir = tiny_models_dir / "chat-summarizer"
    both = ["--translator-model", str(translator_dir), "--summarizer-model", str(summarizer_dir)]
    result = run_cli("models", "list", *both, tmp_path=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.count("available: ") == 2


def test_cli_models_info(translator_dir: Path, tmp_path: Path) -> None:
    result = run_cli("models", "info", str(translator_dir), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["model_type"] == "marian"
    assert info["path"] == str(translator_dir.resolve())
    assert info["weights_format"] == "safetensors"


def test_cli_models_info_of_a_missing_model(tmp_path: Path) -> None:
    result = run_cli("models", "info", "Org/missing", tmp_path=tmp_path)
    line = assert_one_line_error(result)
    assert "'Org/missing'" in line and "nlbrief models pull Org/missing" in line
    assert result.stdout == ""

    broken = write_files(tmp_path / "broken", {"config.json": b"[", "model.safetensors": b"w"})
    line = assert_one_line_error(run_cli("models", "info", str(broken), tmp_path=tmp_path))
    assert "config.json" in line


def test_cli_models_pull_offline_fails_fast(tmp_path: Path) -> None:
    start = time.monotonic()
    result = run_cli("models", "pull", "Some/model", tmp_path=tmp_path)
    elapsed = time.monotonic() - start
    line = assert_one_line_error(result)
    assert "'Some/model'" in line and "HF_HUB_OFFLINE" in line
    assert elapsed < 30
    assert not (tmp_path / "hf" / "hub" / "models--Some--model").exists()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> str:
    """This process without a network (HF_HUB_OFFLINE unset); returns the closed endpoint."""
    monkeypatch.delenv("HF_HUB_OFFLINE")
    for name in (*PROXY_VARIABLES, *(v.upper() for v in PROXY_VARIABLES)):
        monkeypatch.delenv(name, raising=False)
    endpoint = closed_endpoint()
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    return endpoint


def test_the_hub_probe_connects_once_per_process(no_network: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    attempts: list[tuple[str, int]] = []
    real_connect = socket.create_connection

    def counting(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counting)
    assert not hub_reachable() and not hub_reachable()
    with socket.socket() as server:  # a listening port accepts connections into its backlog
        server.bind(("127.0.0.1", 0))
        server.listen()
        listening = server.getsockname()[1]
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{listening}")
        assert hub_reachable() and hub_reachable()
    closed = int(no_network.rsplit(":", 1)[1])
    assert attempts == [("127.0.0.1", closed), ("127.0.0.1", listening)]


def test_the_hub_probe_goes_through_the_proxy_unless_bypassed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXY_VARIABLES, *(v.upper() for v in PROXY_VARIABLES)):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert _probe_address() == ("huggingface.co", 443)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert _probe_address() == ("proxy.example", 3128)
    monkeypatch.setenv("NO_PROXY", "huggingface.co")
    assert _probe_address() == ("huggingface.co", 443)


@pytest.mark.parametrize("option", ["--translator-model", "--summarizer-model"])
def test_no_network_is_one_line_at_once_without_asking_huggingface_hub(
    option: str, no_network: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "download_model", fail_if_called("download_model"))
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # any import of it would fail
    with pytest.raises(ModelNotAvailable) as caught:
        locate_model("Org/name", option=option)
    message = str(caught.value)
    assert_one_line_fix(message, "Org/name", option)
    assert "is not on this machine" in message and "cannot be reached (no network)" in message
    assert no_network.removeprefix("http://") in message


def test_pull_says_why_a_model_failed_and_goes_on_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.models import pull

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(pull, "hub_reachable", lambda: True)
    fetched: list[str] = []

    def fetch(repo_id: str, *args: object) -> Path:
        fetched.append(repo_id)
        if repo_id == "Org/gone":
            raise RuntimeError("404 Client Error: Repository Not Found\nmore detail")
        return tmp_path

    monkeypatch.setattr(pull, "fetch_snapshot", fetch)
    local = write_files(tmp_path / "local", SAFE_MODEL)
    results = dict(pull.pull_models(["Org/gone", "Org/there", str(local), "Org/gone"]))
    assert fetched == ["Org/gone", "Org/there"]  # the failure did not stop the others; no repeats
    message = str(results["Org/gone"])
    assert isinstance(results["Org/gone"], ModelNotAvailable) and "\n" not in message
    assert "cannot pull 'Org/gone'" in message and "Repository Not Found" in message
    assert "models pull" not in message and "check the id" in message
    assert results["Org/there"].path == tmp_path and results[str(local)].origin == "local folder"


def test_cli_models_pull_without_a_network_says_so_per_model_and_goes_on(
    translator_dir: Path, tmp_path: Path
) -> None:
    result = run_cli("models", "pull", "Org/first", "Org/second", str(translator_dir), tmp_path=tmp_path,
                     offline=False)  # fmt: skip
    assert result.returncode == 3, result
    assert "Traceback" not in result.stderr and "Retry" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    for line, spec in zip(lines, ["Org/first", "Org/second"], strict=True):
        assert line.startswith(f"error: cannot pull '{spec}'") and "cannot be reached (no network)" in line
        assert "run `nlbrief models pull" not in line and "HF_HOME" in line
    assert result.stdout == f"{translator_dir}: {translator_dir.resolve()} (local folder)\n"

    offline = run_cli("models", "pull", "Org/first", tmp_path=tmp_path)
    [line] = offline.stderr.splitlines()
    assert offline.returncode == 3 and "HF_HUB_OFFLINE is set" in line and "run `nlbrief" not in line


def test_cli_a_missing_model_without_a_network_is_one_line(tmp_path: Path) -> None:
    article = tmp_path / "fiets.txt"
    article.write_text(DUTCH_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("translate", str(article), "-o", str(out), tmp_path=tmp_path, offline=False)
    line = assert_one_line_error(result)  # no huggingface_hub retry lines before it
    assert result.returncode == 3
    assert "'Helsinki-NLP/opus-mt-nl-en' is not on this machine" in line and "(no network)" in line
    assert "nlbrief models pull Helsinki-NLP/opus-mt-nl-en" in line and "--translator-model DIR" in line
    assert not out.exists()


# --- 8. a light CLI import ---------------------------------------------------------------------------


def test_importing_the_cli_loads_neither_torch_nor_transformers(tmp_path: Path) -> None:
    code = "import pipeline.cli.commands, sys; print('torch' in sys.modules, 'transformers' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


# --- 9. the torch backend and pickles -----------------------------------------------------------------


@pytest.fixture
def pickled_translator(translator_dir: Path, tmp_path: Path) -> Path:
    import torch
    from safetensors.torch import load_file

    folder = tmp_path / "pickled-translator"
    shutil.copytree(translator_dir, folder)
    state = load_file(folder / "model.safetensors")
    (folder / "model.safetensors").unlink()
    torch.save(state, folder / "pytorch_model.bin")
    return folder


def test_torch_backend_refuses_pickle_weights_before_loading(
    pickled_translator: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.translate.backends import torch_marian

    loads: list[tuple[object, ...]] = []

    def fake_load(*args: object) -> None:
        loads.append(args)
        raise ModelError("stop before loading")

    monkeypatch.setattr(torch_marian, "_load_marian", fake_load)
    source = locate_model(str(pickled_translator))
    with pytest.raises(ModelError) as caught:
        create_backend("torch", source, BackendOptions(device="cpu"))
    assert "--allow-pickle" in str(caught.value) and "pytorch_model.bin" in str(caught.value)
    assert loads == []

    # With consent the backend goes on to load (stubbed here), asking for pickles explicitly.
    with pytest.raises(ModelError, match="stop before loading"):
        create_backend("torch", source, BackendOptions(device="cpu", allow_pickle=True))
    assert len(loads) == 1 and loads[0][0] == str(pickled_translator.resolve())


def test_unknown_backend_lists_the_choices(translator_dir: Path) -> None:
    with pytest.raises(UnknownChoiceError) as caught:
        create_backend("nope", locate_model(str(translator_dir)), BackendOptions())
    assert "torch" in str(caught.value) and "'nope'" in str(caught.value)
    assert "torch" in caught.value.valid


def test_model_status_calls_a_folder_without_weights_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    status = model_status("translator", str(folder))
    assert not status.available and "no weights" in status.where


# --- 10. a model's own code never runs ----------------------------------------------------------------


# Every class whose from_pretrained nlbrief reaches, directly or through transformers itself.
SPIED_CLASSES = (
    "PreTrainedModel",
    "PreTrainedTokenizerBase",
    "PreTrainedConfig",
    "GenerationConfig",
    "AutoConfig",
    "AutoTokenizer",
    "AutoModelForCausalLM",
    "AutoModelForSeq2SeqLM",
)


def spy_from_pretrained(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, object]]]:
    """Record (class, calling module, kwargs) of every from_pretrained call, then load as usual."""
    import transformers

    calls: list[tuple[str, str, dict[str, object]]] = []

    def spy(original: classmethod) -> classmethod:
        def from_pretrained(cls: type, *args: object, **kwargs: object) -> object:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            calls.append((cls.__name__, caller, dict(kwargs)))
            return original.__func__(cls, *args, **kwargs)

        return classmethod(from_pretrained)

    for name in SPIED_CLASSES:
        owner = getattr(transformers, name)
        original = owner.__dict__["from_pretrained"]
        assert isinstance(original, classmethod), name
        monkeypatch.setattr(owner, "from_pretrained", spy(original))
    return calls


def clear_load_caches() -> None:
    """The loaders keep one model per process; a spy only sees loads that really happen."""
    from pipeline.summarize import generators
    from pipeline.translate.backends import ct2_marian, marian, torch_marian

    torch_marian._load_marian.cache_clear()
    generators._load.cache_clear()
    marian.load_tokenizer.cache_clear()
    ct2_marian._load_translator.cache_clear()


@pytest.fixture
def fresh_loads() -> Iterator[None]:
    clear_load_caches()
    yield
    clear_load_caches()  # nothing loaded under a spy or from a tmp_path folder outlives the test


def test_loading_never_asks_for_remote_code(
    tiny_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_loads: None
) -> None:
    from pipeline.summarize.generators import GeneratorOptions, create_generator

    monkeypatch.setenv("NLBRIEF_CACHE_DIR", str(tmp_path / "cache"))  # so the CTranslate2 conversion runs
    calls = spy_from_pretrained(monkeypatch)
    translator = locate_model(str(tiny_models_dir / "translator"))
    for backend in ("torch", "ctranslate2"):
        create_backend(backend, translator, BackendOptions(device="cpu"))
    for name in ("chat-summarizer", "seq2seq-summarizer", "bart-summarizer"):
        create_generator(locate_model(str(tiny_models_dir / name)), GeneratorOptions(device="cpu"))

    called = {name for name, _, _ in calls}
    assert {"MarianTokenizer", "MarianMTModel", "AutoTokenizer"} <= called, called
    assert {"AutoModelForCausalLM", "AutoModelForSeq2SeqLM"} <= called, called
    assert any(caller.startswith("ctranslate2") for _, caller, _ in calls)  # the converter's own loads
    for name, caller, kwargs in calls:
        assert kwargs.get("trust_remote_code", False) is False, (name, caller, kwargs)
        if caller.startswith("pipeline."):  # nlbrief's own: local files only, remote code refused outright
            assert kwargs.get("local_files_only") is True, (name, kwargs)
            if name.startswith("Auto") or name.endswith("Model"):
                assert "trust_remote_code" in kwargs, (name, kwargs)


def test_every_trust_remote_code_in_the_source_is_a_literal_false() -> None:
    import ast

    package = Path(models.__file__).parents[1]
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for keyword in getattr(node, "keywords", []):
                if keyword.arg == "trust_remote_code":
                    found.append(path.name)
                    assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, (
                        f"{path}:{keyword.lineno}"
                    )
            # nor a dict or kwargs update that could carry it in by another road
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                assert "trust_remote_code" not in keys, f"{path}:{node.lineno}"
    assert {"torch_marian.py", "generators.py", "ct2_marian.py"} <= set(found), found


CUSTOM_CODE = """import pathlib

pathlib.Path({marker!r}).write_text("the model's own code ran", encoding="utf-8")
"""


def with_custom_code(
    source: Path, folder: Path, marker: Path, model_type: str, auto_map: dict[str, str]
) -> Path:
    """A copy of ``source`` whose configs point at Python files of its own that leave ``marker`` when run."""
    shutil.copytree(source, folder)
    tokenizer_map = {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}
    for module in {"tokenization_evil", *(target.split(".")[0] for target in auto_map.values())}:
        (folder / f"{module}.py").write_text(CUSTOM_CODE.format(marker=str(marker)), encoding="utf-8")
    edit_json(folder / "config.json", model_type=model_type, auto_map=auto_map)
    edit_json(folder / "tokenizer_config.json", auto_map=tokenizer_map)
    return folder


def edit_json(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


CAUSAL_MAP = {"AutoConfig": "configuration_evil.EvilConfig", "AutoModelForCausalLM": "modeling_evil.EvilLM"}
SEQ2SEQ_MAP = {"AutoConfig": "configuration_evil.EvilConfig", "AutoModelForSeq2SeqLM": "modeling_evil.EvilMT"}


def test_custom_code_in_a_model_folder_never_runs(
    tiny_models_dir: Path, tmp_path: Path, fresh_loads: None
) -> None:
    from pipeline.summarize.generators import GeneratorOptions, create_generator

    marker = tmp_path / "custom-code-ran"
    cpu = GeneratorOptions(device="cpu")

    # A type transformers ships: its own classes load the model; the auto_map is ignored.
    chat = with_custom_code(
        tiny_models_dir / "chat-summarizer", tmp_path / "chat", marker, "qwen2", CAUSAL_MAP
    )
    generator = create_generator(locate_model(str(chat)), cpu)
    assert type(generator.model).__name__ == "Qwen2ForCausalLM"
    assert generator.count_tokens(["It rained in Utrecht."])[0] > 0

    translator_dir = tiny_models_dir / "translator"
    translator = with_custom_code(translator_dir, tmp_path / "translator", marker, "marian", SEQ2SEQ_MAP)
    backend = create_backend("torch", locate_model(str(translator)), BackendOptions(device="cpu", beams=1))
    assert type(backend.model).__name__ == "MarianMTModel"
    assert all(
        isinstance(text, str) for text in backend.decode(backend.generate(backend.encode(["Het regent."]), 8))
    )

    # A type only its own code knows: refused before transformers is asked, saying why.
    custom = with_custom_code(
        tiny_models_dir / "chat-summarizer", tmp_path / "custom", marker, "evil-gpt", CAUSAL_MAP
    )
    with pytest.raises(ModelError) as caught:
        create_generator(locate_model(str(custom)), cpu)
    message = str(caught.value)
    assert "\n" not in message and str(custom) in message
    assert "own Python code" in message and "modeling_evil.EvilLM" in message and "never runs" in message

    odd = with_custom_code(translator_dir, tmp_path / "odd-translator", marker, "evil-marian", SEQ2SEQ_MAP)
    for name in ("torch", "ctranslate2"):
        with pytest.raises(ModelError) as caught:
            create_backend(name, locate_model(str(odd)), BackendOptions(device="cpu"))
        assert "'evil-marian'" in str(caught.value) and "expected 'marian'" in str(caught.value)

    assert not marker.exists()


# --- 11. broken and mismatched model folders, through the CLI ---------------------------------------


DUTCH_ARTICLE = (
    "date 2025-10-06\n\nRaad bespreekt nieuwe fietsenstalling\n\n"
    "De gemeenteraad van Utrecht sprak maandag over de nieuwe fietsenstalling bij het station. "
    "De wethouder wil dat er volgend jaar nog eens duizend plekken bij komen.\n"
)
ENGLISH_ARTICLE = (
    "date 2025-10-06\n\nCouncil discusses new bicycle garage\n\n"
    "The Utrecht city council talked on Monday about the new bicycle garage at the station. "
    "The alderman wants another thousand places to be added next year.\n"
)


def broken_copy(
    tiny_models_dir: Path, tmp_path: Path, model: str, remove: str | None, model_type: str | None
) -> Path:
    folder = tmp_path / f"broken-{model}"
    shutil.copytree(tiny_models_dir / model, folder)
    if remove:
        (folder / remove).unlink()
    if model_type:
        edit_json(folder / "config.json", model_type=model_type)
    return folder


# (model copied, file removed, model_type written, what the one error line must say)
BROKEN_TRANSLATORS = {
    "no-config": ("translator", "config.json", None, ["config.json is missing", "--translator-model"]),
    "no-weights": ("translator", "model.safetensors", None, ["no weights", "model.safetensors"]),
    "no-source-spm": ("translator", "source.spm", None, ["source.spm missing", "MarianMT tokenizer"]),
    "no-vocab": ("translator", "vocab.json", None, ["vocab.json missing", "MarianMT tokenizer"]),
    "unknown-type": ("translator", None, "frobnicator", ["'frobnicator'", "expected 'marian'"]),
    "chat-summarizer": ("chat-summarizer", None, None, ["qwen2", "not a MarianMT translator"]),
    "seq2seq-summarizer": ("seq2seq-summarizer", None, None, ["t5", "not a MarianMT translator"]),
}


@pytest.mark.parametrize("case", list(BROKEN_TRANSLATORS))
def test_cli_names_what_is_wrong_with_a_translator_folder(
    case: str, tiny_models_dir: Path, tmp_path: Path
) -> None:
    model, remove, model_type, expected = BROKEN_TRANSLATORS[case]
    folder = broken_copy(tiny_models_dir, tmp_path, model, remove, model_type)
    article = tmp_path / "fiets.txt"
    article.write_text(DUTCH_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "translate", str(article), "-o", str(out), "--translator-model", str(folder), "-q", tmp_path=tmp_path
    )
    line = assert_one_line_error(result)
    assert result.returncode == 3, result
    assert str(folder) in line, line
    for piece in expected:
        assert piece in line, (piece, line)
    assert not (out / "fiets.txt").exists()


BROKEN_SUMMARIZERS = {
    "no-config": ("chat-summarizer", "config.json", None, ["config.json is missing", "--summarizer-model"]),
    "no-weights": ("bart-summarizer", "model.safetensors", None, ["no weights", "model.safetensors"]),
    "chat-no-tokenizer": ("chat-summarizer", "tokenizer.json", None, ["tokenizer.json is missing"]),
    "seq2seq-no-tokenizer": ("seq2seq-summarizer", "tokenizer.json", None, ["tokenizer.json is missing"]),
    "unknown-type": ("chat-summarizer", None, "frobnicator", ["'frobnicator'", "not a model type"]),
    "translator": ("translator", None, None, ["marian", "not a summarizer", "--translator-model"]),
}


@pytest.mark.parametrize("case", list(BROKEN_SUMMARIZERS))
def test_cli_names_what_is_wrong_with_a_summarizer_folder(
    case: str, tiny_models_dir: Path, tmp_path: Path
) -> None:
    model, remove, model_type, expected = BROKEN_SUMMARIZERS[case]
    folder = broken_copy(tiny_models_dir, tmp_path, model, remove, model_type)
    article = tmp_path / "fiets.txt"
    article.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "summarize", str(article), "-o", str(out), "--summarizer-model", str(folder), "-q", tmp_path=tmp_path
    )
    line = assert_one_line_error(result)
    assert result.returncode == 3, result
    assert str(folder) in line, line
    for piece in expected:
        assert piece in line, (piece, line)
    assert not (out / "fiets.json").exists() and not (out / "fiets.md").exists()
