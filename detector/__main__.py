"""``python -m detector``: the same command as the ``detector`` console script."""

from .cli import app

app(prog_name="detector")
