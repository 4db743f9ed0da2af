"""The fuzz modules' copy of the demo's inputs, made once per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    """A copy of ``data_samples`` (the demo project and the sample surveys) for one module to read and mutate copies of."""
    folder = tmp_path_factory.mktemp("fuzz-samples") / "data_samples"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder
