"""The local search page and JSON API behind ``itudocs serve``: a skin over ``Library``, as the CLI is."""

from itudocs.web.app import create_app

__all__ = ["create_app"]
