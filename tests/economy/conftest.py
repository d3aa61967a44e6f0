"""Small health economies written to a temporary folder, loaded as compiled models."""

import textwrap

import pytest

import pathways


@pytest.fixture
def economy(tmp_path):
    """economy(yaml_text, practices_csv_text, name=...) -> compiled Model."""
    def build(text: str, practices: str, name: str = "economy.yaml"):
        (tmp_path / "practices.csv").write_text(textwrap.dedent(practices).strip() + "\n")
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return pathways.load(path)
    return build
