"""Serve Backprop Lab to a classroom: `python classroom.py [--port 8501] [other streamlit options]`.

The same as `streamlit run app.py --server.address 0.0.0.0`, with the address students must open
printed first: http://<this machine's LAN address>:<port> (Streamlit's own banner would say
localhost, which is no use to a student). The app's sidebar shows the same address to the lecturer.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ui import classroom
from ui.server import BANNER_PRINTED

ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python classroom.py", description=__doc__.splitlines()[0],
                                     epilog="Any other option is passed to streamlit run, e.g. --server.headless true")
    parser.add_argument("--port", type=int, default=8501, help="the port to listen on (default 8501)")
    args, rest = parser.parse_known_args(argv)
    print(f"\n  Backprop Lab is serving a classroom.\n{classroom.banner(args.port)}\n", flush=True)
    os.environ[BANNER_PRINTED] = "1"
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), "--server.address", "0.0.0.0",
                "--server.port", str(args.port), *rest]
    streamlit_main()


if __name__ == "__main__":
    main()
