"""Fixtures for the seed-question scenario tests (helpers are in paired.py)."""

import pytest


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, request):
    """A folder for the module's small economies (their YAML and practices.csv)."""
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
