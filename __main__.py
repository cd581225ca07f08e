"""``python -m itudocs``: the same command line as the ``itudocs`` script."""

from itudocs.cli import main

main()
