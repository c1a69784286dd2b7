"""Session-wide test setup: no network, no user cache, tiny offline models.

* ``pytest_configure`` (before any test module is imported) sets ``HF_HUB_OFFLINE=1``,
  ``TRANSFORMERS_OFFLINE=1`` and a throwaway ``HF_HOME``, and hides cache-path variables that
  would bypass ``HF_HOME``. It has to happen before ``huggingface_hub`` is imported: that library
  reads these variables once, at import. ``pytest_unconfigure`` restores them.
* ``tiny_models_dir`` builds every model of ``tests/helpers/tiny_models.py`` once per session;
  ``translator_dir`` is its MarianMT folder (loadable like ``Helsinki-NLP/opus-mt-nl-en``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

TESTS_DIR = Path(__file__).resolve().parent

# NLBRIEF_DTYPE: the commands run the tiny models in float32 on every CPU. They are far too small for
# bfloat16 to pay (it made them 5x slower on an AMX CPU), and the suite's time must not depend on the
# CPU; tests/models/test_number_formats.py runs both models in both formats.
_SET_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NLBRIEF_DTYPE": "float32"}
# Variables that point caches or the token somewhere other than HF_HOME.
_UNSET_ENV = (
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "HF_ASSETS_CACHE",
    "HF_XET_CACHE",
    "HF_TOKEN_PATH",
    "HF_TOKEN",
)
_saved_env_key = pytest.StashKey[dict]()
_hf_home_key = pytest.StashKey[str]()


def load_tiny_models() -> ModuleType:
    """``tests/helpers/tiny_models.py`` as a module, whatever pytest's import mode or rootdir."""
    name = "nlbrief_tests_tiny_models"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS_DIR / "helpers" / "tiny_models.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def pytest_configure(config: pytest.Config) -> None:
    names = (*_SET_ENV, "HF_HOME", "NLBRIEF_CACHE_DIR", *_UNSET_ENV)
    config.stash[_saved_env_key] = {name: os.environ.get(name) for name in names}
    hf_home = tempfile.mkdtemp(prefix="nlbrief-test-hf-home-")
    config.stash[_hf_home_key] = hf_home
    os.environ.update(_SET_ENV)
    os.environ["HF_HOME"] = hf_home
    # The translation memory and converted models go to the same throwaway place, never the user's cache.
    os.environ["NLBRIEF_CACHE_DIR"] = os.path.join(hf_home, "nlbrief-cache")
    for name in _UNSET_ENV:
        os.environ.pop(name, None)
    if "huggingface_hub" in sys.modules:
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                "huggingface_hub was imported before tests/conftest.py set HF_HUB_OFFLINE and HF_HOME; "
                "its constants may still point at the network and the user's cache"
            ),
            stacklevel=2,
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in config.stash.get(_saved_env_key, {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    hf_home = config.stash.get(_hf_home_key, None)
    if hf_home:
        shutil.rmtree(hf_home, ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_models_module() -> ModuleType:
    """The builder module ``tests/helpers/tiny_models.py`` (``BUILDERS``, ``build_all``, constants)."""
    return load_tiny_models()


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every tiny model (``translator``, ...), built once per session."""
    root = tmp_path_factory.mktemp("tiny-models")
    load_tiny_models().build_all(root)
    return root


@pytest.fixture(scope="session")
def translator_dir(tiny_models_dir: Path) -> Path:
    """The tiny MarianMT nl->en folder: MarianTokenizer/MarianMTModel.from_pretrained(translator_dir)."""
    return tiny_models_dir / "translator"
