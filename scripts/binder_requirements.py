"""Write ``binder/requirements.txt``: what a reader needs to run every chapter live, and no more.

Binder (repo2docker) reads a ``binder/`` folder in preference to the repository's top level, so
Binder installs these pins instead of ``requirements.txt``, which also pins the book's build and
test tools (Sphinx, pytest, Playwright, nbgrader ...). The list is not resolved again: it is the
part of ``requirements.txt`` that the runtime needs, found by walking, from :data:`ROOTS` and the
book package's own dependencies (``pyproject.toml``), the requirements that the installed
distributions of the project's ``.venv`` declare (extras followed, environment markers evaluated
for this Python). Every line is copied from ``requirements.txt`` unchanged, so each pin is the
top-level pin. ``tests/test_binder.py`` checks that the committed file is what this script
writes, so the two cannot drift apart.

    .venv/bin/python scripts/binder_requirements.py          # rewrite binder/requirements.txt
    .venv/bin/python scripts/binder_requirements.py --check  # exit 1 if it is out of date

The last line, ``-e .``, installs the book's own package. pip reads a path in a requirements
file relative to its working directory, not to the file (pypa/pip issue 8765), and repo2docker
runs ``pip install -r binder/requirements.txt`` from the repository's root, so ``.`` is the
root. It must be editable: the package finds ``data/`` and ``references.bib`` beside ``src/``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OUT = Path("binder") / "requirements.txt"

#: What a reader runs besides the book's package: JupyterLab or Notebook 7, the widgets and
#: their front-end (ipywidgets, anywidget) and the Python kernel.
ROOTS = ("jupyterlab", "notebook", "ipywidgets", "anywidget", "ipykernel")

HEADER = """\
# Binder's pins: what a reader needs to run every chapter with live widgets in JupyterLab or
# Notebook, and nothing for building or testing the book. repo2docker reads this binder/ folder
# instead of the top-level requirements.txt and runtime.txt. Written by
# scripts/binder_requirements.py from requirements.txt (every pin is the top-level pin; do not
# edit by hand: change requirements.txt and run the script). The last line installs the book's
# package from the repository's root, where repo2docker runs pip.
"""

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def top_level_pins(root: Path = ROOT) -> dict[str, tuple[str, str]]:
    """``requirements.txt`` as {canonical name: (line, version)}, in the file's order."""
    pins: dict[str, tuple[str, str]] = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match[1])] = (line.strip(), match[2])
    return pins


def package_requirements(root: Path = ROOT) -> list[str]:
    """The book package's own dependencies, as ``pyproject.toml`` declares them."""
    with (root / "pyproject.toml").open("rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def runtime_closure(roots: list[str]) -> set[str]:
    """Canonical names of ``roots`` and everything they need, read from the installed
    distributions' metadata (requirements whose markers are false here are left out; a
    requirement's extras bring in what those extras need)."""
    seen: set[tuple[str, str]] = set()  # (name, extra or "")
    todo = [Requirement(r) for r in roots]
    names: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        for extra in ["", *sorted(req.extras)]:
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            names.add(name)
            dist = metadata.distribution(name)
            for text in dist.requires or []:
                sub = Requirement(text)
                if sub.marker is not None and not sub.marker.evaluate({"extra": extra}):
                    continue
                todo.append(sub)
    return names


def render(root: Path = ROOT) -> str:
    """The text of ``binder/requirements.txt``."""
    pins = top_level_pins(root)
    names = runtime_closure(package_requirements(root) + list(ROOTS))
    missing = sorted(names - set(pins))
    if missing:
        raise RuntimeError(f"not pinned in requirements.txt: {', '.join(missing)}")
    drifted = sorted(n for n in names if metadata.version(n) != pins[n][1])
    if drifted:
        raise RuntimeError(
            "the installed versions differ from requirements.txt (run `make setup`): "
            + ", ".join(f"{n} {metadata.version(n)} != {pins[n][1]}" for n in drifted)
        )
    lines = [line for name, (line, _) in pins.items() if name in names]
    return HEADER + "\n".join(lines) + "\n-e .\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    try:
        text = render(ROOT)
    except RuntimeError as error:
        print(f"binder_requirements: {error}", file=sys.stderr)
        return 1
    path = ROOT / OUT
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run scripts/binder_requirements.py", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {text.count('==')} pins and the book's package")
    return 0


if __name__ == "__main__":
    sys.exit(main())
