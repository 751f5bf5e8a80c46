"""detector: keep the editorial lines of scraped web text, drop the ads, teasers and chrome.

>>> from detector import filter_text
>>> filter_text("Home\\nThe council approved the budget on Tuesday after a long debate.\\n")
'The council approved the budget on Tuesday after a long debate.\\n'

Models are joblib files, and loading a joblib file runs code: load only models you trust, or
share them in the ``.skops`` format, which loads without running arbitrary code.
"""

import logging

from ._version import __version__
from .classifier import Detector, FilterResult, RemovedLine, Settings, Verdict, classify, filter_lines, filter_text
from .dataset import Document, load_dataset
from .errors import DataError, DetectorError, InputError, ModelError
from .explain import Explanation, explain
from .labelling import prelabel
from .sitememory import SiteMemory

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "DataError",
    "Detector",
    "DetectorError",
    "Document",
    "Explanation",
    "FilterResult",
    "InputError",
    "ModelError",
    "RemovedLine",
    "Settings",
    "SiteMemory",
    "Verdict",
    "__version__",
    "classify",
    "explain",
    "filter_lines",
    "filter_text",
    "load_dataset",
    "prelabel",
]
