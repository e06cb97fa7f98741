"""Where the book lives, and the links and set-up that follow from it.

The repository's address is set once, in ``_config.yml`` (``repository.url`` and
``repository.branch``). Jupyter Book makes the launch buttons from it; this module makes the
rest: the Colab set-up cell at the top of every chapter, and the Binder, Colab and nbgitpuller
links in the instructor guide. After changing the address (for a fork), run

    .venv/bin/python -m widgets.launch

to rewrite the chapters' Colab cells; ``tests/test_launch.py`` fails until they agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import nbformat
import yaml

from .reference import ROOT, chapter_paths

__all__ = ["repository", "colab_cell", "binder_url", "colab_url", "nbgitpuller_url"]

COLAB_MARK = "# Set-up for Google Colab"


def repository(config: Path = ROOT / "_config.yml") -> dict:
    """``{"url", "owner", "name", "branch"}`` of the book's GitHub repository."""
    repo = (yaml.safe_load(config.read_text()) or {}).get("repository") or {}
    url = str(repo.get("url", "")).rstrip("/")
    m = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", url)
    if not m:
        raise ValueError(
            f"{config}: repository.url must be https://github.com/<owner>/<name>, not {url!r}"
        )
    return {
        "url": url,
        "owner": m.group(1),
        "name": m.group(2),
        "branch": str(repo.get("branch", "main")),
    }


def colab_cell(repo: dict | None = None) -> str:
    """Source of the first code cell of every chapter: installs the book, only in Colab."""
    repo = repo or repository()
    return f'''{COLAB_MARK}: fetch the book's code and data and install its package.
# Anywhere else (Binder, a JupyterHub, your own Jupyter) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess
    from pathlib import Path

    book = Path("/content/{repo["name"]}")
    if not book.exists():
        subprocess.run(["git", "clone", "--depth", "1", "--branch", "{repo["branch"]}",
                        "{repo["url"]}", str(book)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", str(book)],
                   check=True)
    sys.path.insert(0, str(book / "src"))  # importable now, without restarting
    from google.colab import output

    output.enable_custom_widget_manager()  # lets the live sliders (ipywidgets) draw'''


def _notebook_path(chapter: Path) -> str:
    return chapter.resolve().relative_to(ROOT).as_posix()


def binder_url(chapter: Path, repo: dict | None = None) -> str:
    """A mybinder.org link that opens ``chapter`` in JupyterLab (the form of the book's own
    Binder button)."""
    repo = repo or repository()
    return (
        f"https://mybinder.org/v2/gh/{repo['owner']}/{repo['name']}/{repo['branch']}"
        f"?urlpath=lab/tree/{_notebook_path(chapter)}"
    )


def colab_url(chapter: Path, repo: dict | None = None) -> str:
    """A Google Colab link that opens ``chapter`` from GitHub."""
    repo = repo or repository()
    return (
        f"https://colab.research.google.com/github/{repo['owner']}/{repo['name']}/blob/"
        f"{repo['branch']}/{_notebook_path(chapter)}"
    )


def nbgitpuller_url(hub: str, chapter: Path, repo: dict | None = None) -> str:
    """An nbgitpuller link: ``hub`` pulls the repository and opens ``chapter`` in JupyterLab."""
    repo = repo or repository()
    query = urlencode(
        {
            "repo": repo["url"],
            "branch": repo["branch"],
            "urlpath": f"lab/tree/{repo['name']}/{_notebook_path(chapter)}",
        }
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def write_colab_cells(chapters: list[Path] | None = None) -> list[Path]:
    """Put :func:`colab_cell` first in every chapter (replacing an older one); the changed."""
    cell_source = colab_cell()
    changed = []
    for path in chapters or chapter_paths():
        nb = nbformat.read(path, as_version=4)
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        first = nb.cells[code[0]]
        if first.source.startswith(COLAB_MARK):
            if first.source == cell_source:
                continue
            first.source = cell_source
        else:
            cell = nbformat.v4.new_code_cell(cell_source)
            cell.metadata["tags"] = ["remove-cell"]
            nb.cells.insert(code[0], cell)
        nbformat.write(nb, path)
        changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write_colab_cells():
        print(f"updated the Colab cell of {path.relative_to(ROOT)}")
