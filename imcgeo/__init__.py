"""imcgeo: where UN peace operations are, which are close, and how they have helped each other."""

__version__ = "0.1.0"
