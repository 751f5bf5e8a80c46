"""The README stays true: every command and every public name it shows exists, and back."""

import re

import detector
from detector.cli import app

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme():
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert commands == {"filter", "score", "train", "evaluate", "info", "label", "explain"}
    for name in commands:
        assert f"detector {name}" in README, name


def test_every_public_name_is_exported_and_documented():
    for name in detector.__all__:
        assert hasattr(detector, name)
    for name in ("Detector", "filter_text", "filter_lines", "classify", "load_dataset", "explain", "prelabel"):
        assert re.search(rf"\b{name}\b", README), name


def test_readme_quick_start_names_the_shipped_example_page():
    assert "tests/data/pages/example-page.txt" in README
    assert (REPO / "tests" / "data" / "pages" / "example-page.txt").is_file()
