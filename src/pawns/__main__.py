"""``python -m pawns``: the same command line as ``pawns``."""

from pawns.cli.main import app

app()
