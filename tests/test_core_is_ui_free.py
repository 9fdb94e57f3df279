"""core/ imports numpy and the standard library only — plus numba, in the two files of the fast path."""
import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "core"
JIT_FILES = {"jit.py", "kernel.py"}  # numba is imported here and nowhere else


def test_core_imports_only_numpy_and_the_standard_library():
    for path in CORE.glob("*.py"):
        allowed = set(sys.stdlib_module_names) | {"numpy"} | ({"numba"} if path.name in JIT_FILES else set())
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
