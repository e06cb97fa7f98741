"""`make book`: execute the notebooks whose inputs changed, then build the HTML book.

One process does both: :mod:`execute_notebooks` fills the execution cache (only what is
stale, in parallel), then jupyter-book builds ``_build/html`` strictly (warnings are errors)
from that cache, re-reading only the pages whose notebooks changed. The Pages workflow, the
book test and ``make bench`` build the book with this script too.

    python scripts/build_book.py [--root DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import execute_notebooks  # noqa: E402  (also skips a slow import, see there)

#: The book is built strictly: a warning (a broken reference, say) fails the build.
FLAGS = ["-W", "-n", "--keep-going"]


def build(root: Path) -> None:
    execute_notebooks.execute(root)
    from jupyter_book.cli.main import main as jupyter_book

    jupyter_book.main(args=["build", str(root), *FLAGS], standalone_mode=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=execute_notebooks.ROOT)
    args = parser.parse_args(argv)
    build(args.root.resolve())


if __name__ == "__main__":
    main()
