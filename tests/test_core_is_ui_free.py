"""core/ and storage/ import numpy and the standard library only — plus numba, in core's two fast-path files."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JIT_FILES = {"jit.py", "kernel.py"}  # numba is imported here and nowhere else


@pytest.mark.parametrize("package", ["core", "storage"])
def test_core_imports_only_numpy_and_the_standard_library(package):
    for path in (ROOT / package).glob("*.py"):
        allowed = set(sys.stdlib_module_names) | {"numpy"}
        if package == "core" and path.name in JIT_FILES:
            allowed.add("numba")
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed, f"{path.name} imports {name}"
