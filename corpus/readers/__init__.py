"""The readers: one module per file format, each feeding ``corpus.builder.DocumentBuilder``."""
