"""Binder, Colab, live code and GitHub Pages: everything follows `repository` in _config.yml."""

from __future__ import annotations

import subprocess
import sys
import types

import nbformat
import pytest
import yaml
from conftest import CHAPTERS, ROOT

from widgets import launch


def test_repository_is_set_once_in_the_config():
    repo = launch.repository()
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert repo["url"] == config["repository"]["url"]
    assert config["html"]["use_repository_button"] is True
    buttons = config["launch_buttons"]
    assert buttons["binderhub_url"] == "https://mybinder.org"
    assert buttons["colab_url"] == "https://colab.research.google.com"
    assert buttons["thebe"] is True


def test_a_bad_repository_address_is_a_clear_error(tmp_path):
    bad = tmp_path / "_config.yml"
    bad.write_text("repository:\n  url: https://gitlab.com/someone/book\n")
    with pytest.raises(ValueError, match="repository.url must be https://github.com/"):
        launch.repository(bad)


def test_links(tmp_path):
    repo = {"url": "https://github.com/me/book", "owner": "me", "name": "book", "branch": "dev"}
    chapter = CHAPTERS[2]
    rel = f"chapters/{chapter.name}"
    assert launch.binder_url(chapter, repo) == (
        f"https://mybinder.org/v2/gh/me/book/dev?urlpath=lab/tree/{rel}"
    )
    assert launch.colab_url(chapter, repo) == (
        f"https://colab.research.google.com/github/me/book/blob/dev/{rel}"
    )
    pull = launch.nbgitpuller_url("https://hub.example.edu/", chapter, repo)
    assert pull.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A")
    assert "branch=dev" in pull and f"urlpath=lab%2Ftree%2Fbook%2F{rel.replace('/', '%2F')}" in pull


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_starts_with_the_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source == launch.colab_cell(), (
        f"{path.name}: run `.venv/bin/python -m widgets.launch` to update its Colab cell"
    )
    assert first.metadata.get("tags") == ["remove-cell"]


def _run_colab_cell(monkeypatch, in_colab: bool):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    enabled = []
    if in_colab:
        colab = types.ModuleType("google.colab")
        colab.output = types.SimpleNamespace(
            enable_custom_widget_manager=lambda: enabled.append(True)
        )
        google = types.ModuleType("google")
        google.colab = colab
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    path_before = list(sys.path)
    exec(compile(launch.colab_cell(), "colab_cell", "exec"), {})
    added = [p for p in sys.path if p not in path_before]
    sys.path[:] = path_before
    return calls, enabled, added


def test_the_colab_cell_does_nothing_outside_colab(monkeypatch):
    calls, enabled, added = _run_colab_cell(monkeypatch, in_colab=False)
    assert calls == [] and enabled == [] and added == []


def test_the_colab_cell_installs_the_book_in_colab(monkeypatch):
    repo = launch.repository()
    calls, enabled, added = _run_colab_cell(monkeypatch, in_colab=True)
    book = f"/content/{repo['name']}"
    assert calls[0] == [
        "git",
        "clone",
        "--depth",
        "1",
        "--branch",
        repo["branch"],
        repo["url"],
        book,
    ]
    assert calls[1] == [sys.executable, "-m", "pip", "install", "--quiet", "-e", book]
    assert added == [f"{book}/src"] and enabled == [True]


def test_the_requirements_are_pinned_and_install_the_package():
    # Binder installs its own runtime part of these pins (binder/, tests/test_binder.py)
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    lines = (ROOT / "requirements.txt").read_text().split("\n")
    assert lines[-2:] == ["-e .", ""]  # `make setup` and CI install the book's package too
    pins = [l for l in lines if l and not l.startswith(("#", "-e"))]
    assert all("==" in l for l in pins), "every requirement is pinned"


def test_pages_workflow_builds_with_execution_caching():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy-book.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert any(u.startswith("actions/setup-python") for u in uses)
    assert (
        next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))["with"][
            "python-version"
        ]
        == "3.11"
    )
    assert "pip install -r requirements.txt" in runs
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "_build/.jupyter_cache"
    # the same mechanism as `make book`: the script empties a cache whose inputs changed
    # (tests/test_execution.py), so restoring the newest cache can never serve a stale figure
    assert "python scripts/build_book.py" in runs  # the same script as `make book`
    assert "--all" not in runs and "--config" not in runs
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/build_book.py" in makefile and "--all" not in makefile
    build = (ROOT / "scripts" / "build_book.py").read_text()
    assert "execute_notebooks.execute" in build and '"-W"' in build
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "_build/html"
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert flow["permissions"]["pages"] == "write"


def test_readme_says_how_to_point_the_book_at_a_fork():
    readme = (ROOT / "README.md").read_text()
    assert "fork" in readme.lower() and "repository:" in readme
    assert "python -m widgets.launch" in readme
