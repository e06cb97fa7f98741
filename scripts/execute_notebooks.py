"""Execute the book's notebooks into the execution cache: only what changed, both cores busy.

The book's pages read their outputs from a jupyter-cache (``_config.yml``:
``execute_notebooks: cache``). jupyter-cache recognises a notebook by its code alone, but a
chapter's outputs also depend on the ``widgets`` package, the data files, the bibliography,
the book's configuration and the pinned requirements. So the cache carries a digest of those
inputs (:data:`INPUTS`): when the digest differs, the whole cache is emptied and every
notebook runs again, so a figure can never be older than the model that drew it. Within one
digest, a notebook whose code changed is executed again and the others come from the cache,
so a prose-only edit executes nothing. A notebook executed again has its file time updated,
so that Sphinx reads its page again with the new outputs.

Stale notebooks are executed in parallel (two per core, longest first) before Sphinx
reads them. ``make book``, ``make test`` and the Pages workflow all run this script first.

    python scripts/execute_notebooks.py [--root DIR]

Exit status 1 if a notebook fails, with its traceback.
"""

from __future__ import annotations

import argparse
import copy
import fcntl
import hashlib
import multiprocessing
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

#: jsonschema imports ``rfc3987_syntax`` for its "iri" format checks, and that module builds
#: some thirty parsers when imported: 2 to 3 s in every process that imports nbformat, which
#: includes every chapter's kernel (Plotly's renderers import nbformat; jsonschema issue
#: #1392). Nothing in the book validates IRIs, so the build's processes and kernels skip that
#: module (jsonschema then leaves out those two format checks). Readers' kernels are untouched.
SKIP_SLOW_IMPORT = "import sys; sys.modules.setdefault('rfc3987_syntax', None)"
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The files, besides a notebook's own code, that its outputs depend on (globs under the root).
INPUTS = (
    "src/widgets/**/*",
    "data/*",
    "references.bib",
    "requirements.txt",
    "pyproject.toml",
    "_config.yml",
    "_toc.yml",
)
#: Where jupyter-book (myst-nb) looks for the cache: ``_build/.jupyter_cache`` beside the html.
CACHE = Path("_build") / ".jupyter_cache"
DIGEST_FILE = "inputs.sha256"
TIMEOUT = 600


def cache_path(root: Path = ROOT) -> Path:
    return root / CACHE


def inputs_digest(root: Path = ROOT) -> str:
    """SHA-256 over the names and contents of every file matched by :data:`INPUTS`."""
    digest = hashlib.sha256()
    files = sorted(
        {
            p
            for pattern in INPUTS
            for p in root.glob(pattern)
            if p.is_file() and "__pycache__" not in p.parts
        }
    )
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook the table of contents lists, in its order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[Path] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                path = root / f"{node.get(key)}.ipynb"
                if key in node and path.is_file():
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def _open_cache(root: Path):
    """The cache, emptied first if its inputs digest is not the current one."""
    from jupyter_cache import get_cache

    path = cache_path(root)
    digest = inputs_digest(root)
    stamp = path / DIGEST_FILE
    if path.exists() and (not stamp.is_file() or stamp.read_text().strip() != digest):
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    cache = get_cache(str(path))
    stamp.write_text(digest + "\n")
    return cache


def stale(root: Path = ROOT) -> list[Path]:
    """The notebooks the next build would execute (nothing is executed here)."""
    cache = _open_cache(root)
    return [p for p in notebooks(root) if _lookup(cache, p) is None]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _execute(path_str: str):
    """Execute one notebook in its own folder; return (path, notebook, seconds, error)."""
    from nbclient import NotebookClient

    path = Path(path_str)
    nb = _read(path)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        allow_errors=False,
        record_timing=False,  # timings in cell metadata would change the hash the cache keys on
        shutdown_kernel="immediate",  # every output is in: no need to wait for a clean exit
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=[f"--IPKernelApp.exec_lines={SKIP_SLOW_IMPORT}"],
    )
    known = {
        k: copy.deepcopy(nb.metadata[k])
        for k in ("kernelspec", "language_info")
        if k in nb.metadata
    }
    start = time.perf_counter()
    try:
        client.execute()
    except Exception:  # a failing cell: report its traceback, cache nothing
        return path_str, nb, time.perf_counter() - start, traceback.format_exc()
    # the kernel fills in its spec and language; the cache knows a notebook by its file's
    nb.metadata.update(known)
    return path_str, nb, time.perf_counter() - start, None


def _lookup(cache, path: Path):
    try:
        return cache.match_cache_notebook(_read(path))
    except KeyError:
        return None


def execute(root: Path = ROOT, workers: int | None = None, quiet: bool = False) -> list[Path]:
    """Execute every stale notebook into the cache; return the ones executed.

    A lock file keeps two processes (two pytest workers, say) from executing at once."""
    from jupyter_cache.base import CacheBundleIn

    cache_path(root).parent.mkdir(parents=True, exist_ok=True)
    with open(cache_path(root).parent / ".jupyter_cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = _open_cache(root)
        todo = [p for p in notebooks(root) if _lookup(cache, p) is None]
        if not todo:
            if not quiet:
                print("execute: every notebook's outputs are in the cache")
            return []
        # longest first (the last run's times, where known), so two workers finish together
        previous = _previous_times(root)
        todo.sort(key=lambda p: -previous.get(p.name, 60.0))
        # two notebooks per core: a kernel spends part of its short life starting, waiting
        # and stopping, and a second one per core fills those gaps (about 10% faster here)
        workers = workers or 2 * (os.cpu_count() or 1)
        if not quiet:
            print(f"execute: {len(todo)} notebook(s), {workers} at a time")
        start = time.perf_counter()
        failed = []
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            for path_str, nb, seconds, error in pool.imap_unordered(
                _execute, [str(p) for p in todo], chunksize=1
            ):
                name = Path(path_str).relative_to(root)
                if error:
                    failed.append((name, error))
                    continue
                cache.cache_notebook_bundle(
                    CacheBundleIn(nb, path_str, data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
                previous[Path(path_str).name] = seconds
                # new outputs: make Sphinx read the page again (it goes by the file's time)
                os.utime(path_str)
                if not quiet:
                    print(f"  {name}  {seconds:5.1f} s")
        _save_times(root, previous)
        if failed:
            for name, error in failed:
                print(f"execute: {name} failed:\n{error}", file=sys.stderr)
            raise SystemExit(1)
        if not quiet:
            print(f"execute: done in {time.perf_counter() - start:.1f} s")
        return todo


def _times_file(root: Path) -> Path:
    return cache_path(root).parent / "execution-seconds.yml"


def _previous_times(root: Path) -> dict:
    path = _times_file(root)
    return (yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}


def _save_times(root: Path, times: dict) -> None:
    _times_file(root).write_text(yaml.safe_dump(times))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder")
    args = parser.parse_args(argv)
    execute(args.root.resolve())


if __name__ == "__main__":
    main()
