"""e^x, tanh and ln on arrays with the C library's results — the numbers Python's ``math`` gives.

numpy computes these with its own vectorised code, which differs from the C library in the last bit
for a few per cent of inputs. The tutorial calls ``math.exp``, and the compiled training loop the C
library too, so the engine does the same element by element: every output the step-through shows is
the tutorial's to the last digit. With numba these are compiled ufuncs; without it, Python loops.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import kernel
from .jit import numba

Array = np.ndarray


def _vectorise(scalar: Callable[[float], float]) -> Callable[[Array], Array]:
    """An array function that applies ``scalar`` to every element (compiled on first use with numba)."""
    compiled = None

    def apply(x: Array) -> Array:
        nonlocal compiled
        x = np.asarray(x, dtype=float)
        if numba is None:
            return np.frompyfunc(scalar, 1, 1)(x).astype(float) if x.ndim else np.float64(scalar(float(x)))
        if compiled is None:
            compiled = numba.vectorize(["float64(float64)"], cache=True)(scalar)
        return compiled(x)

    apply.__doc__ = scalar.__doc__
    return apply


exp = _vectorise(kernel.exp)
tanh = _vectorise(kernel.tanh)
log = _vectorise(kernel.log)


def warm() -> None:
    """Compile (or load from numba's cache) every function here now, not at some page's first use."""
    for function in (exp, tanh, log):
        function(np.ones(1))
