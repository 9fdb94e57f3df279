import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests", ROOT / "tests" / "e2e"):  # core, ui; test helpers
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# Lessons the app saves during the tests go to a throwaway database, never the user's own.
os.environ["BACKPROP_LAB_DB"] = str(Path(tempfile.mkdtemp(prefix="backprop-lab-tests-")) / "lessons.sqlite3")


def pytest_terminal_summary(terminalreporter):
    """Report how many hostile inputs and concurrent sessions the robustness tests exercised."""
    from counts import COUNTS

    if COUNTS:
        terminalreporter.section("robustness counts")
        for what, n in sorted(COUNTS.items()):
            terminalreporter.write_line(f"{what}: {n:,}")
