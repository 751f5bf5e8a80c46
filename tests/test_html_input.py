"""Raw HTML in: the page's text as a scraper prints it, then the usual filter."""

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.errors import MissingExtraError

from .conftest import DATA

pytest.importorskip("html_text")

PAGE = DATA / "html" / "harbour-page.html"


def test_html_becomes_one_line_per_block_element_then_the_usual_filter(tiny_detector):
    from detector.html_input import html_to_text

    html = PAGE.read_text(encoding="utf-8")
    lines = [line for line in html_to_text(html).splitlines() if line.strip()]
    assert "Council approves harbour wall repairs after winter storms" in lines
    assert "Home" in lines and "Advertisement" in lines and "Cookie settings" in lines
    assert not any("<" in line or "href" in line for line in lines)
    assert tiny_detector.filter_html(html) == tiny_detector.filter_document(html_to_text(html))


def test_the_default_model_drops_the_chrome_of_a_raw_page():
    from detector import Detector

    result = Detector.default().filter_html(PAGE.read_text(encoding="utf-8"))
    kept = {line.strip() for line in result.text.splitlines() if line.strip()}
    assert any(line.startswith("The town council voted on Tuesday") for line in kept)
    assert not {"Home", "Sport", "Most read", "Cookie settings", "Privacy notice", "Advertisement"} & kept


def test_the_cli_reads_html_with_the_same_verdicts_as_the_library(tiny_model_file, tiny_detector):
    out = CliRunner().invoke(app, ["filter", "--html", str(PAGE), "--model", str(tiny_model_file), "-q"])
    assert out.exit_code == 0
    assert out.stdout == tiny_detector.filter_html(PAGE.read_text(encoding="utf-8")).text


def test_html_and_jsonl_do_not_go_together():
    assert CliRunner().invoke(app, ["filter", "--html", "--jsonl", str(PAGE)]).exit_code == 2


def test_a_missing_html_extra_names_the_install_command(monkeypatch):
    import builtins

    from detector.html_input import html_to_text

    real = builtins.__import__

    def no_html_text(name, *args, **kwargs):
        if name == "html_text":
            raise ModuleNotFoundError("No module named 'html_text'", name="html_text")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_html_text)
    monkeypatch.delitem(__import__("sys").modules, "html_text", raising=False)
    with pytest.raises(MissingExtraError, match=r"pip install '\.\[html\]'"):
        html_to_text("<p>x</p>")


LATIN1 = DATA / "html" / "latin1-page.html"
LATIN1_TEXT = "Le café historique de la place du marché fermera ses portes en décembre"


def test_a_page_in_the_charset_it_declares_reads_right_as_bytes_or_escaped_text():
    """Older sites still serve ISO-8859-1 and say so in a <meta> tag; read as UTF-8 their accents
    were lost, and a file read with surrogate escapes crashed html-text."""
    from detector.html_input import html_to_text

    data = LATIN1.read_bytes()
    text = html_to_text(data)
    assert LATIN1_TEXT in text and "“avec regret”" in text, "ISO-8859-1 is read as browsers read it"
    assert html_to_text(data.decode("utf-8", "surrogateescape")) == text


def test_the_cli_reads_an_html_file_in_its_declared_charset(tiny_model_file):
    out = CliRunner().invoke(app, ["filter", "--html", str(LATIN1), "--model", str(tiny_model_file), "-t", "1"])
    assert out.exit_code == 0, out.output
    assert LATIN1_TEXT in out.stdout and "invalid utf-8" not in out.stderr
