"""Parallax: read one news story through many outlets at once."""

__version__ = "0.1.0"
