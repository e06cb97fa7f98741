"""`make bench`: the book's speed and weight against its goals (README, "How fast").

Every time is the median of repeated runs, so a busy machine shifts it less than a single run
would; each row prints the goal and the ratio of the measurement to it (1.00 or less meets the
goal). Rows:

* the slowest live redraw of any view at its defaults (what a slider move costs in Jupyter),
  and every view's redraw below it;
* the virtual cohort of 200 patients (chapters 8 and 10), from an empty cache;
* chapter 3's response map (one redraw of ``response_map_view``);
* the bytes a reader's first visit to chapter 3 loads (the page and every script, stylesheet
  and icon font it asks for, uncompressed);
* ``make book`` again with nothing changed, and after a prose-only edit;
* ``make book`` from an empty ``_build`` (a copy of the repository; the set-up is done),
  median of three.

Asserts nothing: `make test` checks behaviour, this measures it. Run ``--quick`` to skip the
book builds.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROWS: list[tuple[str, float, float, str]] = []


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up (imports, caches of data files)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(what: str, value: float, goal: float, unit: str) -> None:
    ROWS.append((what, value, goal, unit))
    shown = f"{value:,.0f}" if unit == "bytes" else f"{value:.3g}"
    print(f"  {what:<58} {shown:>12} {unit:<5} goal {goal:g} {unit:<5} ratio {value / goal:5.2f}")


def views():
    import widgets.views as package
    from widgets.explorer import View

    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for attr, value in vars(module).items():
            if isinstance(value, View):
                yield f"{info.name}.{attr}", value


def bench_redraws() -> None:
    print("Live redraw at the defaults (median of 7 runs)")
    times = {
        name: median_time(lambda v=view: v.draw(v.params.defaults()), 7) for name, view in views()
    }
    slowest = max(times, key=times.get)
    row(f"slowest live redraw ({slowest})", times[slowest] * 1e3, 50, "ms")
    row(
        "chapter 3's response map (checkpoint.response_map_view)",
        times["checkpoint.response_map_view"] * 1e3,
        150,
        "ms",
    )
    for name, t in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"      {name:<40} {t * 1e3:8.1f} ms")


def bench_cohort() -> None:
    from widgets.models import microbiome

    def run():
        microbiome._cached.cache_clear()
        microbiome.cohort_results("bench")

    n = len(microbiome.cohort_results("bench"))
    row(
        f"virtual cohort of {n} patients (microbiome.cohort_results)", median_time(run, 5), 0.2, "s"
    )


def first_visit_bytes(html: Path, page: Path) -> int:
    """Every byte a first visit to ``page`` fetches, counted in Chromium (Debian's package)
    over a local web server: the page, its scripts and stylesheets, the fonts it uses and
    what its scripts load in turn (MathJax's components). Without Chromium: the page and
    the files its tags name, a lower bound."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        text = page.read_text(encoding="utf-8")
        named = set(re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"?#]+)', text))
        files = [(page.parent / n).resolve() for n in named if "://" not in n]
        return page.stat().st_size + sum(f.stat().st_size for f in files if f.is_file())
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            visit = browser.new_page(viewport={"width": 390, "height": 844})

            def finished(request):
                try:
                    response = request.response()
                    sizes[request.url] = len(response.body()) if response else 0
                except Exception:  # the page closed while a late request finished
                    pass

            visit.on("requestfinished", finished)
            url = f"http://127.0.0.1:{server.server_port}/{page.relative_to(html).as_posix()}"
            visit.goto(url, wait_until="networkidle")
            visit.wait_for_timeout(2000)
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values())


def make_book(root: Path) -> float:
    """Seconds for what `make book` runs (scripts/build_book.py), set-up done."""
    start = time.perf_counter()
    cmd = [str(BIN / "python"), "scripts/build_book.py"]
    result = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"make book failed in {root}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.perf_counter() - start


def bench_book() -> None:
    print("\nBuilding the book (`make book`: execute what changed, then Sphinx)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "book"
        files = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for name in files:
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / name).is_file():
                shutil.copy2(ROOT / name, target)
        clean = []
        for _ in range(3):
            shutil.rmtree(copy / "_build", ignore_errors=True)
            clean.append(make_book(copy))
        row("`make book` from an empty _build (set-up done)", statistics.median(clean), 45, "s")
        again = statistics.median(make_book(copy) for _ in range(3))
        row("`make book` again, nothing changed", again, 10, "s")
        chapter = copy / "chapters" / "03_checkpoint_inhibitors.ipynb"
        original = chapter.read_text(encoding="utf-8")
        edits = []
        for k in range(3):
            chapter.write_text(
                original.replace("## Learning objectives", f"## Learning objectives (edit {k})", 1),
                encoding="utf-8",
            )
            edits.append(make_book(copy))
        row("`make book` after a prose-only edit (chapter 3)", statistics.median(edits), 10, "s")
        html = copy / "_build" / "html"
        page = html / "chapters" / "03_checkpoint_inhibitors.html"
        row("bytes a first visit to chapter 3 loads", first_visit_bytes(html, page), 4e6, "bytes")
        print("      chapter pages (HTML with inline figure data):")
        for p in sorted((html / "chapters").glob("*.html")):
            print(f"        {p.stem:<36} {p.stat().st_size / 1024:8.0f} KiB")


def main() -> None:
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    bench_redraws()
    bench_cohort()
    if "--quick" not in sys.argv:
        bench_book()
    missed = [r for r in ROWS if r[1] > r[2]]
    print(
        f"\n{len(ROWS) - len(missed)} of {len(ROWS)} rows meet their goal"
        + (": over goal: " + "; ".join(r[0] for r in missed) if missed else "")
    )


if __name__ == "__main__":
    main()
