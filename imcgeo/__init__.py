"""imcgeo: where UN peace operations are, which are close, and how they have helped each other.

``imcgeo.Atlas`` is the one object to start from (``Atlas.shipped()``); importing the package
loads nothing and changes no global state until a name is used.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Atlas", "Frame", "View"]


def __getattr__(name: str):
    if name in ("Atlas", "Frame"):
        from imcgeo import atlas

        return getattr(atlas, name)
    if name == "View":
        from imcgeo.view import View

        return View
    raise AttributeError(f"module 'imcgeo' has no attribute {name!r}")
