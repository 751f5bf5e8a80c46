"""The ``detector`` command: a thin typer layer over the library.

Each command parses its options, calls one library function and formats the result. Exit
codes: 0 done; 1 bad data, files or models (one line on stderr per problem); 2 a usage error
(an unknown option, an option value out of range or not among its choices), as click reports
them; 130 interrupted. A closed output pipe ends quietly with 0.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any, Literal, TypeVar

import typer

from . import textio
from ._version import __version__
from .classifier import Detector, FilterResult
from .dataset import load_dataset
from .errors import DataError, DetectorError
from .evaluation import compare_reports
from .jsonl import filter_jsonl
from .sitememory import SiteMemory
from .text import split_lines, strip_ending

app = typer.Typer(
    help="Keep the editorial lines of scraped web text; drop ads, teasers, navigation and legal chrome.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
T = TypeVar("T")
MAX_PROBLEMS_SHOWN = 50
# Choices are types, so that typer refuses a wrong value as a usage error (exit 2).
Preset = Literal["safe", "balanced", "strict", "extracted"]
ErrorPolicy = Literal["surrogateescape", "replace", "ignore", "strict"]
OnError = Literal["pass", "skip", "fail"]
ScoreFormat = Literal["tsv", "jsonl"]
OutputFormat = Literal["jsonl", "wet"]
# Our measuring sets: never train on them.
HELD_OUT_FOLDERS = frozenset({"holdout", "promo-dev", "scripts-dev", "sites", "adaptation"})

ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        "-m",
        metavar="FILE",
        help="Model file (.joblib or .skops); default: the embedded model. Loading a joblib file runs code: use only trusted files.",
    ),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        metavar="0..1",
        min=0.0,
        max=1.0,
        help="Remove lines scoring at or above this (default: the model's).",
    ),
]
KeepOpt = Annotated[
    list[str] | None,
    typer.Option("--keep", "-k", metavar="LABEL", help="A label to keep (repeatable); default: editorial."),
]
PresetOpt = Annotated[
    Preset | None,
    typer.Option(
        "--preset",
        "-p",
        help="A named operating point: safe, balanced (the default), strict, or extracted (for text an "
        "extractor already cleaned). `detector info` shows what each one measured. --threshold overrides it.",
    ),
]
ThreadsOpt = Annotated[
    int,
    typer.Option(
        "--threads",
        metavar="N",
        min=1,
        help="Threads inside one model call (default 1; use processes, --jobs, to scale).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary on stderr.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", metavar="NAME", help="Input encoding.")]
ErrorsOpt = Annotated[
    ErrorPolicy,
    typer.Option(
        "--errors",
        help="On undecodable bytes: surrogateescape (keep them byte for byte), replace, ignore or strict (stop).",
    ),
]


def _err(message: str) -> None:
    typer.echo(f"detector: {message}", err=True)


def _run(fn: Callable[[], T]) -> T:
    """Run a command body; turn the library's errors into one line and an exit code."""
    try:
        return fn()
    except DataError as exc:
        # Every problem at once, one per line, so all can be fixed in one go.
        for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
            _err(f"error: {problem}")
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            _err(f"error: … and {len(exc.problems) - MAX_PROBLEMS_SHOWN} more problems")
        raise typer.Exit(1) from None
    except DetectorError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    except BrokenPipeError:
        _quiet_broken_pipe()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    except OSError as exc:
        name = f"{exc.filename}: " if exc.filename else ""
        _err(f"error: {name}{exc.strerror or exc}")
        raise typer.Exit(1) from None


def _quiet_broken_pipe() -> None:
    # Point stdout at devnull so the interpreter's final flush does not complain.
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _detector(
    model: Path | None,
    threshold: float | None,
    keep: list[str] | None,
    preset: str | None = None,
    threads: int = 1,
) -> Detector:
    keep_set = keep or ["editorial"]
    if model is None:
        return Detector.default(threshold=threshold, keep=keep_set, preset=preset, threads=threads)
    return Detector.load(model, threshold=threshold, keep=keep_set, preset=preset, threads=threads)


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """stdout (bytes of kept lines preserved) or an atomically written file."""
    if path is None or str(path) == "-":
        out = io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", errors="surrogateescape", newline="", write_through=False
        )
        try:
            yield out
            out.flush()
        finally:
            with contextlib.suppress(ValueError):
                out.detach()
    else:
        with textio.atomic_output(path) as f:
            yield f


def _inputs(paths: list[Path] | None) -> list[str]:
    return [str(p) for p in paths] if paths else ["-"]


DOCUMENT_SEPARATOR = "\n"  # a blank line between documents that share one output stream


def _stdin_hint(names: list[str], quiet: bool, interactive: bool | None = None) -> None:
    """On a terminal, say that stdin is being read rather than waiting in silence."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    if "-" in names and interactive and not quiet:
        _err("reading stdin; type or paste the text, then Ctrl-D to end (or give file names)")


def _output_names(names: list[str], out_dir: Path) -> list[Path]:
    """One output file per input, under its own name; refuse two inputs of the same name."""
    targets = [out_dir / ("stdin.txt" if n == "-" else Path(n).name) for n in names]
    seen: dict[Path, str] = {}
    for n, t in zip(names, targets):
        if n != "-" and t.exists() and t.resolve() == Path(n).resolve():
            raise DetectorError(f"{n}: --output-dir would write over this input; choose another folder")
        if t in seen:
            raise DetectorError(f"{n} and {seen[t]} would both be written to {t}; give inputs with distinct names")
        seen[t] = n
    if out_dir.exists() and not out_dir.is_dir():
        raise DetectorError(f"{out_dir}: exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    return targets


def _site_memory(path: Path | None) -> SiteMemory:
    """A fresh site memory, or the one saved at ``path`` by an earlier run."""
    if path is None or not path.exists():
        return SiteMemory()
    return SiteMemory.load(path)


def _write_removed(sink: Any, name: str, result: FilterResult) -> None:
    for r in result.removed:
        sink.write(textio.json_line({"file": name, **r.to_record()}))


@app.command("filter")
def filter_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(hidden=True, metavar="FILE", help="Text files, one document each ('-' or nothing: stdin)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically) instead of stdout.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            "-d",
            metavar="DIR",
            help="Write one cleaned file per input here, under the input's name (on stdout, documents are "
            "separated by a blank line).",
        ),
    ] = None,
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    keep: KeepOpt = None,
    threads: ThreadsOpt = 1,
    title_echo: Annotated[
        bool,
        typer.Option(
            "--title-echo/--no-title-echo",
            help="Keep the line that a page's first line (its <title>) repeats, as its headline, and drop the "
            "first line where it only adds the site's name (default: on).",
        ),
    ] = True,
    forums: Annotated[
        bool,
        typer.Option(
            "--forums/--no-forums",
            help="Judge a page that reads as a forum thread at the 'safe' preset, where the default operating "
            "point is in force: its posts are the content (default: on).",
        ),
    ] = True,
    removed: Annotated[
        Path | None,
        typer.Option(
            "--removed", metavar="FILE", help="Write every removed line (file, line, label, score, text) as JSONL here."
        ),
    ] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Input is JSON Lines; clean --field of each record.")] = False,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Inputs are raw HTML pages, read in the charset each declares (else UTF-8): turned into lines "
            "with html-text (the 'html' extra), then filtered.",
        ),
    ] = False,
    warc: Annotated[
        bool,
        typer.Option(
            "--warc",
            help="Inputs are Common Crawl WET or WARC files (gzip or plain; the 'warc' extra): one JSON object "
            "per page with url, record_id, text and removed.",
        ),
    ] = False,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--output-format", help="With --warc: jsonl, or wet (WARC conversion records of the kept text)."),
    ] = "jsonl",
    field: Annotated[
        str,
        typer.Option(
            "--field", metavar="NAME", help="With --jsonl: the text field (dotted paths like content.text work)."
        ),
    ] = "text",
    annotate: Annotated[
        bool,
        typer.Option(
            "--annotate", help="With --jsonl: add the removed lines with labels and scores under 'detector_removed'."
        ),
    ] = False,
    on_error: Annotated[
        OnError,
        typer.Option(
            "--on-error",
            help="With --jsonl, for a malformed record: pass (unchanged), skip, or fail. With --warc: skip "
            "(pass means skip: a broken record has no text) or fail.",
        ),
    ] = "pass",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", metavar="N", min=1, help="With --jsonl or --warc: worker processes (order is kept)."
        ),
    ] = 1,
    site_field: Annotated[
        str | None,
        typer.Option(
            "--site-field",
            metavar="NAME",
            help="With --jsonl: the field holding each record's URL or host; lines recurring on many of a "
            "host's records are removed as its chrome (site memory).",
        ),
    ] = None,
    site_memory: Annotated[
        Path | None,
        typer.Option(
            "--site-memory",
            metavar="FILE",
            help="With --site-field or --warc: read site memory from this .npz file if it exists, and save it "
            "there at the end (a resumed crawl keeps what it learnt).",
        ),
    ] = None,
    no_site_memory: Annotated[
        bool,
        typer.Option(
            "--no-site-memory",
            help="With --warc: judge each page alone (site memory, on by default there, removes lines that recur "
            "on many pages of a host).",
        ),
    ] = False,
    encoding: EncodingOpt = textio.DEFAULT_ENCODING,
    errors: ErrorsOpt = "surrogateescape",
    quiet: QuietOpt = False,
) -> None:
    """Print the documents without their junk lines.

    FILE: text files, one document each ('-' or nothing: stdin).

    Example: detector filter page.txt --removed removed.jsonl

    Example: detector filter --warc CC-MAIN-*.warc.wet.gz -o clean.jsonl --jobs 2
    """

    def body() -> None:
        det = _detector(model, threshold, keep, preset, threads).configure(title_echo=title_echo, forums=forums)
        names = _inputs(paths)
        _stdin_hint(names, quiet)
        if warc and (html or jsonl or output_dir is not None or removed is not None or site_field is not None):
            raise typer.BadParameter(
                "--warc goes with none of --html, --jsonl, --output-dir, --removed, --site-field "
                "(each page's removed lines are in its record)"
            )
        if output_format != "jsonl" and not warc:
            raise typer.BadParameter("--output-format wet goes with --warc")
        if no_site_memory and (not warc or site_memory is not None):
            raise typer.BadParameter("--no-site-memory goes with --warc, and not with --site-memory")
        if warc:
            memory = None if no_site_memory else _site_memory(site_memory)
            try:
                _filter_warc(det, names, output, output_format, on_error, jobs, quiet, memory)
            finally:
                if memory is not None and site_memory is not None:
                    memory.save(site_memory)
            return
        if html and jsonl:
            raise typer.BadParameter("--html reads HTML files; for HTML inside JSON Lines records, extract it first")
        if output_dir is not None and (output is not None or jsonl):
            raise typer.BadParameter(
                "--output-dir writes one file per input; it goes with neither --output nor --jsonl"
            )
        if (site_field is not None or site_memory is not None) and not jsonl:
            raise typer.BadParameter("--site-field and --site-memory go with --jsonl (records carry the URL)")
        if site_memory is not None and site_field is None:
            raise typer.BadParameter("--site-memory needs --site-field, the field that holds each record's URL")
        memory = _site_memory(site_memory) if site_field is not None else None
        targets = _output_names(names, output_dir) if output_dir is not None else None
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(_output(output)) if targets is None else None
            audit = stack.enter_context(textio.atomic_output(removed)) if removed else None
            if jsonl:
                assert out is not None
                try:
                    _filter_jsonl(
                        det, names, out, field, annotate, on_error, jobs, encoding, errors, quiet, site_field, memory
                    )
                finally:
                    if memory is not None and site_memory is not None:
                        memory.save(site_memory)
                return
            total = gone = 0
            for k, name in enumerate(names):
                if html:  # a page says how it is encoded: its bytes go to the HTML reader
                    data = textio.read_bytes(name)
                    textio.refuse_binary(data, textio.describe(name))
                    result = det.filter_html(data)
                else:
                    decoded = textio.read_text(name, encoding, errors)
                    if decoded.warning and not quiet:
                        _err(f"warning: {decoded.warning}")
                    result = det.filter_document(decoded.text)
                if targets is not None:
                    with textio.atomic_output(targets[k]) as f:
                        f.write(result.text)
                else:
                    assert out is not None
                    if k:  # documents on one stream are separated by a blank line
                        out.write(DOCUMENT_SEPARATOR)
                    out.write(result.text)
                    if len(names) > 1 and result.text and not result.text.endswith(("\n", "\r")):
                        out.write("\n")
                total += result.n_lines
                gone += len(result.removed)
                if audit is not None:
                    _write_removed(audit, textio.describe(name), result)
            if not quiet:
                where = f" into {output_dir}/" if output_dir is not None else ""
                _err(
                    f"removed {gone:,} of {total:,} lines from {len(names):,} "
                    f"document{'s' if len(names) != 1 else ''}{where}"
                )

    _run(body)


def _filter_jsonl(
    det: Detector,
    names: list[str],
    out: IO[str],
    field: str,
    annotate: bool,
    on_error: str,
    jobs: int,
    encoding: str,
    errors: str,
    quiet: bool,
    site_field: str | None = None,
    memory: SiteMemory | None = None,
) -> None:
    from .jsonl import JsonlSummary

    grand = JsonlSummary()
    for name in names:
        label = textio.describe(name)
        stream = textio.open_text_stream(name, encoding, errors)
        report = None if quiet else lambda m: _err(f"warning: {m}")
        with stream, textio.stream_errors(name):
            s = filter_jsonl(
                textio.checked_lines(stream, name, encoding, errors, report),
                out,
                det,
                field_path=field,
                annotate=annotate,
                on_error=on_error,
                jobs=jobs,
                source=label,
                report=report,
                site_field=site_field,
                memory=memory,
            )
        for k in ("records", "cleaned", "lines", "lines_removed", "errors"):
            setattr(grand, k, getattr(grand, k) + getattr(s, k))
    if not quiet:
        _err(grand.line()[len("detector: ") :])


def _filter_warc(
    det: Detector,
    names: list[str],
    output: Path | None,
    output_format: str,
    on_error: str,
    jobs: int,
    quiet: bool,
    memory: SiteMemory | None = None,
) -> None:
    from . import progress
    from .warc import filter_warc

    sizes = [Path(n).stat().st_size for n in names if n != "-" and Path(n).is_file()]
    total = sum(sizes) if len(sizes) == len(names) else None
    report = None if quiet else lambda m: _err(f"warning: {m}")
    with contextlib.ExitStack() as stack:
        if output is None or str(output) == "-":
            out: IO[bytes] = sys.stdout.buffer
            stack.callback(out.flush)  # what was written before an error stays written
        else:
            out = stack.enter_context(textio.atomic_output(output, binary=True))
        advance = stack.enter_context(progress.progress("filtering pages", total, quiet=quiet or total is None))
        summary = filter_warc(
            names,
            out,
            det,
            output_format=output_format,
            on_error="fail" if on_error == "fail" else "skip",
            jobs=jobs,
            report=report,
            advance=advance,
            memory=memory,
        )
    if not quiet:
        _err(summary.line())


@app.command("score")
def score_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(hidden=True, metavar="FILE", help="Text files, one document each ('-' or nothing: stdin)."),
    ] = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", help="tsv or jsonl.")] = "tsv",
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    keep: KeepOpt = None,
    threads: ThreadsOpt = 1,
    encoding: EncodingOpt = textio.DEFAULT_ENCODING,
    errors: ErrorsOpt = "surrogateescape",
    quiet: QuietOpt = False,
) -> None:
    """One record per input line: document, line number, label, score, keep, text.

    FILE: text files, one document each ('-' or nothing: stdin).

    Example: detector score page.txt --format jsonl
    """

    def body() -> None:
        det = _detector(model, threshold, keep, preset, threads)
        with _output(None) as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            if fmt == "tsv":
                writer.writerow(["document", "line", "label", "score", "keep", "text"])
            for name in _inputs(paths):
                decoded = textio.read_text(name, encoding, errors)
                if decoded.warning and not quiet:
                    _err(f"warning: {decoded.warning}")
                lines = [strip_ending(x) for x in split_lines(decoded.text)]
                for i, v in enumerate(det.classify(lines), start=1):
                    doc = textio.describe(name)
                    if fmt == "tsv":
                        writer.writerow([doc, i, v.label, f"{v.score:.4f}", int(v.keep), v.text])
                    else:
                        record = {"document": doc, "line": i, "label": v.label, "score": round(v.score, 4)}
                        out.write(textio.json_line({**record, "keep": v.keep, "text": v.text}))

    _run(body)


@app.command("train")
def train_cmd(
    data: Annotated[
        list[Path],
        typer.Argument(hidden=True, metavar="PATH", help="Folders or files of labelled documents (.txt, .jsonl)."),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Where to save the model (.joblib, or .skops for the safe format)."
        ),
    ],
    folds: Annotated[
        int, typer.Option("--folds", metavar="N", min=2, help="Cross-validation folds, grouped by site.")
    ] = 5,
    target_recall: Annotated[
        float,
        typer.Option(
            "--target-recall",
            metavar="0.5..1",
            min=0.5,
            max=1.0,
            help="Editorial line recall the threshold must reach in cross-validation.",
        ),
    ] = 0.985,
    lines: Annotated[
        list[Path] | None,
        typer.Option(
            "--lines",
            metavar="PATH",
            help="A line bank: files of stand-alone labelled lines (same format) that only the lexical view "
            "learns from (repeatable).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=1,
            help="Cross-validation folds fitted at once, in processes (default: all cores).",
        ),
    ] = None,
    with_default_corpus: Annotated[
        bool,
        typer.Option(
            "--with-default-corpus",
            help="Train on top of the shipped model's own training data (pages and line bank, packaged with "
            "detector), keeping its threshold, presets and site-memory margin (chosen on real pages and sites); "
            "cross-validation reports your "
            "documents apart.",
        ),
    ] = False,
    weight: Annotated[
        float,
        typer.Option(
            "--weight",
            metavar="W",
            min=0.0,
            help="With --with-default-corpus: how many corpus pages each of yours counts as.",
        ),
    ] = 1.0,
    small: Annotated[
        bool,
        typer.Option(
            "--small", help="A quick, small model (few boosting rounds) for trials and tests; not for production."
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Train a model on labelled documents, report cross-validation, save it.

    PATH: folders or files of labelled documents (.txt, .jsonl).

    Example: detector train training_data/docs --lines training_data/linebank -o model.joblib

    On top of the shipped corpus: detector train my_pages/ --with-default-corpus --weight 5 -o my.joblib
    """
    from .corpus import load_corpus
    from .persistence import check_model_path
    from .training import SMALL_MODEL, train

    def body() -> None:
        check_model_path(output)  # before minutes of training, not after
        docs = load_dataset(*data)
        bank = load_dataset(*lines) if lines else []
        base = load_corpus() if with_default_corpus else None
        held = sorted({part for d in docs for part in Path(d.source).parts if part in HELD_OUT_FOLDERS})
        if held:
            _err(
                f"warning: training on documents under {', '.join(held)}/ (kept out of training to measure the "
                "model); train on training_data/docs to keep them honest"
            )
        params = SMALL_MODEL if small else {}
        det, report = train(
            docs,
            bank=bank,
            folds=folds,
            target_recall=target_recall,
            jobs=jobs,
            quiet=quiet,
            base=base,
            weight=weight,
            operating_points=Detector.default().metadata if base is not None else None,
            **params,
        )
        det.save(output)
        if not quiet:
            extra = f" on top of the default corpus ({len(base.pages):,} pages)" if base is not None else ""
            _err(f"trained on {len(docs):,} documents{extra}; threshold {det.threshold:.4f}; saved {output}")
        _print_report(report)
        if "yours" in report:
            o = report["yours"]
            typer.echo(
                f"your documents: editorial recall {o['editorial_recall']:.4f} (chars {o['editorial_char_recall']:.4f}), "
                f"precision {o['editorial_precision']:.4f}, junk removed {o['junk_removal']:.4f}, {int(o['lines']):,} lines"
            )

    _run(body)


@app.command("evaluate")
def evaluate_cmd(
    data: Annotated[
        list[Path], typer.Argument(hidden=True, metavar="PATH", help="Folders or files of labelled documents.")
    ],
    models: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            "-m",
            metavar="FILE",
            help="Model file (.joblib or .skops); default: the embedded model. Repeat it to compare models side "
            "by side on the same documents ('default' names the embedded one). Loading a joblib file runs code: "
            "use only trusted files.",
        ),
    ] = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    cross_validate: Annotated[
        bool,
        typer.Option(
            "--cross-validate", help="Grouped cross-validation of a fresh model on DATA instead of scoring a saved one."
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Precision, recall and F1 per label, editorial recall, confusion matrix, per genre and language.

    PATH: folders or files of labelled documents (.txt, .jsonl).

    Example: detector evaluate training_data/holdout --model default --model my.joblib
    """
    from .evaluation import evaluate_detector
    from .training import evaluate_cv

    def body() -> None:
        docs = load_dataset(*data)
        if cross_validate:
            report = evaluate_cv(docs, threshold=threshold, quiet=quiet)
        elif models and len(models) > 1:
            reports = {
                str(m): evaluate_detector(_detector(_model_path(m), threshold, None, preset), docs, quiet=quiet)
                for m in models
            }
            typer.echo(json.dumps(reports, indent=2) if as_json else compare_reports(reports))
            return
        else:
            model = _model_path(models[0]) if models else None
            report = evaluate_detector(_detector(model, threshold, None, preset), docs, quiet=quiet)
        if as_json:
            typer.echo(json.dumps(report, indent=2))
        else:
            _print_report(report)

    _run(body)


def _model_path(path: Path) -> Path | None:
    """``default`` names the embedded model."""
    return None if str(path) == "default" else path


def _print_report(report: dict[str, Any]) -> None:
    o = report["overall"]
    typer.echo(
        f"editorial recall {o['editorial_recall']:.4f} (chars {o['editorial_char_recall']:.4f}), "
        f"precision {o['editorial_precision']:.4f}, F1 {o['editorial_f1']:.4f}, junk removed {o['junk_removal']:.4f}, "
        f"{int(o['lines']):,} lines, {report['documents']:,} documents"
    )
    if o.get("titled_documents"):
        n = int(o["titled_documents"])
        typer.echo(
            f"page titles (first editorial line) kept: {int(o['titles_kept']):,} of {n:,} ({o['title_recall']:.4f})"
        )
    typer.echo(f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for lab, m in report["per_label"].items():
        typer.echo(f"{lab:<14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{m['support']:>10,}")
    conf = report["confusion"]
    typer.echo("confusion (rows: truth, columns: predicted): " + ", ".join(conf["labels"]))
    for lab, row in zip(conf["labels"], conf["matrix"]):
        typer.echo(f"  {lab:<14}" + "".join(f"{x:>9,}" for x in row))
    for key in ("by_genre", "by_lang"):
        typer.echo(f"{key.replace('by_', 'per ')}: editorial recall / precision / junk removed (documents)")
        for name, m in report.get(key, {}).items():
            typer.echo(
                f"  {name:<14}{m['editorial_recall']:>8.4f}{m['editorial_precision']:>8.4f}{m['junk_removal']:>8.4f}  ({m['documents']})"
            )


@app.command("info")
def info_cmd(
    model: ModelOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False
) -> None:
    """Show a model's metadata: versions, labels, threshold, data hash, validation figures.

    Example: detector info --model model.skops
    """
    from .persistence import describe_model_file, describe_preset

    def body() -> None:
        info = describe_model_file(model)
        if as_json:
            typer.echo(json.dumps(info, indent=2))
            return
        presets = info.pop("presets", None) or {}
        for key, value in info.items():
            if isinstance(value, dict):
                value = json.dumps(value)
            typer.echo(f"{key}: {value}")
        for name, p in presets.items():
            typer.echo(f"preset {name}: {describe_preset(p)}")

    _run(body)


@app.command("label")
def label_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            hidden=True, metavar="FILE", help="Text files, one document each, or JSONL files with --jsonl ('-': stdin)."
        ),
    ] = None,
    out_dir: Annotated[
        Path,
        typer.Option("--out-dir", "-o", metavar="DIR", help="Folder for the pre-labelled files, one per document."),
    ] = Path("labelled"),
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Inputs are JSON Lines: one document per record.")] = False,
    field: Annotated[
        str, typer.Option("--field", metavar="NAME", help="With --jsonl: the text field (dotted paths work).")
    ] = "text",
    margin: Annotated[
        float,
        typer.Option(
            "--margin",
            metavar="0..1",
            min=0.0,
            max=1.0,
            help="Mark with ? the lines scoring this close to the threshold.",
        ),
    ] = 0.15,
    genre: Annotated[
        str | None, typer.Option("--genre", metavar="NAME", help="Header '# genre:' of every file.")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="CODE", help="Header '# lang:' of every file.")] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site", metavar="NAME", help="Header '# site:' (pages of one site share a cross-validation fold)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files (they may hold corrections).")] = False,
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    encoding: EncodingOpt = textio.DEFAULT_ENCODING,
    errors: ErrorsOpt = "surrogateescape",
    quiet: QuietOpt = False,
) -> None:
    """Pre-label documents for training: the model's labels filled in, doubtful lines marked E? / P? / B?.

    FILE: text files, one document each, or JSONL files with --jsonl ('-': stdin).

    Correct the files in an editor, then train on them (the ? marks may stay).
    Example: detector label pages/*.txt --site my-site -o labelled/ && detector train labelled/ --with-default-corpus -o my.joblib
    """
    from .labelling import documents_in, write_prelabelled

    def body() -> None:
        det = _detector(model, threshold, None, preset)
        report = None if quiet else (lambda m: _err(f"warning: {m}"))
        docs = (
            doc
            for name in _inputs(paths)
            for doc in documents_in(name, jsonl=jsonl, field=field, encoding=encoding, errors=errors, report=report)
        )
        meta = {"genre": genre or "", "lang": lang or "", "site": site or ""}
        summary = write_prelabelled(det, docs, out_dir, margin=margin, meta=meta, overwrite=force)
        if not quiet:
            _err(f"{summary.line()} into {out_dir}/")

    _run(body)


@app.command("explain")
def explain_cmd(
    path: Annotated[Path, typer.Argument(hidden=True, metavar="FILE", help="A text file, one document ('-': stdin).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line instead of a table.")] = False,
    top: Annotated[int, typer.Option("--top", metavar="N", min=1, help="Features shown per direction.")] = 3,
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    preset: PresetOpt = None,
    encoding: EncodingOpt = textio.DEFAULT_ENCODING,
    errors: ErrorsOpt = "surrogateescape",
) -> None:
    """Why each line was kept or removed: score, the words and shape that pushed it, its context.

    FILE: a text file, one document ('-': stdin).

    Example: detector explain page.txt | less -R
    """
    from .explain import explain, render

    def body() -> None:
        det = _detector(model, threshold, None, preset)
        decoded = textio.read_text(str(path), encoding, errors)
        if decoded.warning:
            _err(f"warning: {decoded.warning}")
        explained = explain(det, [strip_ending(x) for x in split_lines(decoded.text)], top=top)
        with _output(None) as out:
            if as_json:
                for e in explained:
                    out.write(textio.json_line(e.to_record()))
            else:
                used = det.page_thresholds([[strip_ending(x) for x in split_lines(decoded.text)]])[0]
                forum = " (the page reads as a forum thread: the safe preset's)" if used != det.threshold else ""
                render(explained, used, out, forum)

    _run(body)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detector {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Keep the editorial lines of scraped web text; drop ads, teasers, navigation and legal chrome."""
