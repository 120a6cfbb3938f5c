"""Views of calc's objects, registered by the layer that draws them.

The domain and analysis layers hold data; drawing it (notebook HTML, plots) is the
render layer's, which sits above them. So a Verdict's ``_repr_html_`` or a
Sensitivity's ``plot()`` asks here, and ``calc.render.html`` and ``calc.render.plots``
register what they draw when they are imported, as pint's Quantity asks its formatter
instead of importing one. On the first request for a kind of view, the module that
registers it is imported by name: the one place where a lower layer reaches a higher
one, at run time, on purpose.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: Which module registers each kind of view.
_PROVIDERS = {
    "html": "calc.render.html",
    "plot": "calc.render.plots",
    "text": "calc.render.frames",
    "readable": "calc.units.display",
}
_VIEWS: dict[tuple[str, type], Callable[..., Any]] = {}


def register(kind: str, cls: type, draw: Callable[..., Any]) -> None:
    """Record how ``cls`` is drawn as ``kind`` ('html', 'plot', 'text' or 'readable')."""
    _VIEWS[(kind, cls)] = draw


def view(kind: str, obj: object, *args: Any, **kwargs: Any) -> Any:
    """Draw ``obj`` as ``kind``, with the function its renderer registered."""
    for attempt in range(2):
        for cls in type(obj).__mro__:
            if (kind, cls) in _VIEWS:
                return _VIEWS[(kind, cls)](obj, *args, **kwargs)
        if attempt == 0:
            importlib.import_module(_PROVIDERS[kind])
    raise TypeError(f"calc draws no {kind} of a {type(obj).__name__}")
