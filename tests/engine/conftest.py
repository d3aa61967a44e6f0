import textwrap

import pytest

import pathways


@pytest.fixture
def model_from_yaml(tmp_path):
    """Write YAML text to a file and load it as a compiled model."""
    def build(text: str, name: str = "model.yaml"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return pathways.load(path)
    return build
