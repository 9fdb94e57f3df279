"""core/ and storage/ import numpy and the standard library only (no UI library, nothing else)."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("package", ["core", "storage"])
def test_core_imports_only_numpy_and_the_standard_library(package):
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for path in (ROOT / package).glob("*.py"):
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
                assert top in allowed, f"{package}/{path.name} imports {name}"
