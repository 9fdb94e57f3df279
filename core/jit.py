"""numba, when it can be used: the one place that decides (set BACKPROP_LAB_NO_JIT=1 to go without)."""
from __future__ import annotations

import os

try:
    if os.environ.get("BACKPROP_LAB_NO_JIT"):
        raise ImportError("turned off by BACKPROP_LAB_NO_JIT")
    import numba
except ImportError as err:  # the plain-Python path: same numbers, tutorial speed
    numba = None
    NOTICE = (f"numba is not available ({err}): training runs the same loop as plain Python "
              "(same numbers, about as fast as the tutorial's own code).")
else:
    NOTICE = ""
