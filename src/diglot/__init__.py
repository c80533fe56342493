"""diglot: a translation workflow for statements published in several languages."""

__version__ = "0.1.0"
