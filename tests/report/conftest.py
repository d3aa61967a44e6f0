"""Fixtures shared by the report tests."""

import os
import shutil
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).parents[2]
DEMO_MODELS = (REPOSITORY / "models" / "integrated.yaml",
               REPOSITORY / "models" / "competitive.yaml")
DEMO_REPLICATIONS = 2


@pytest.fixture(scope="session")
def demo_comparison(tmp_path_factory):
    """The demo comparison (`make run`'s models and seed) at 2 replications, once per
    session (40 to 60 s on 2 cores): its results folder, report.html written in it.

    Two replications are below the automatic replication rule's minimum of 5, so the
    report must say that they are too few. Only slow tests use it.

    PATHWAYS_DEMO_RESULTS names a folder of results of that comparison to use instead of
    running it again (while working on the tests; it is copied, and its report.html used
    as it is): CI never sets it.
    """
    from tests.report.test_browser import invoke

    out = tmp_path_factory.mktemp("demo") / "integrated-vs-competitive"
    given = os.environ.get("PATHWAYS_DEMO_RESULTS")
    if given:
        shutil.copytree(given, out)
        assert (out / "report.html").is_file(), f"{given} holds no report.html"
        return out
    invoke("compare", *DEMO_MODELS, "--replications", DEMO_REPLICATIONS, "--seed", 0,
           "--workers", 0, "-q", "--out", out)
    assert (out / "report.html").is_file(), "pathways compare wrote no report.html"
    return out
