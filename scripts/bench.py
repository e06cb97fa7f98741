"""`make bench`: how fast the models and explorers are, how long a clean book build takes,
and how heavy each chapter page is. Prints a table; asserts nothing (targets are in README)."""

from __future__ import annotations

import importlib
import pkgutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def modules(package):
    for info in pkgutil.iter_modules(package.__path__):
        yield info.name, importlib.import_module(f"{package.__name__}.{info.name}")


def bench_models() -> None:
    import widgets.models as models

    print("Model simulate() at defaults (median of 30 runs; target: a few ms)")
    for name, module in modules(models):
        if hasattr(module, "simulate") and hasattr(module, "PARAMS"):
            module.simulate()  # warm-up
            t = median_time(module.simulate, 30)
            print(f"  {name:<24} {t * 1e3:8.2f} ms")


def bench_views() -> None:
    import widgets.views as views
    from widgets.explorer import View

    print("\nStatic explorer build, default key (median of 3 runs)")
    for name, module in modules(views):
        for attr, value in vars(module).items():
            if isinstance(value, View) and value.key:
                t = median_time(value.static, 3)
                steps = len(value.static().layout.sliders[0].steps)
                print(f"  {name}.{attr:<28} {t * 1e3:8.1f} ms  ({steps} steps over {value.key!r})")
        for attr, value in vars(module).items():
            if isinstance(value, View):
                t = median_time(lambda v=value: v.draw(v.params.defaults()), 10)
                print(f"  {name}.{attr:<28} {t * 1e3:8.1f} ms  one redraw (live slider move)")


def bench_cohort() -> None:
    from widgets.models import microbiome

    print("\nVirtual cohort (chapters 8 and 10; target: a few seconds for 200 patients)")
    for label, params in [
        ("no intervention", {}),
        ("antibiotics for 14 days, ending at the first infusion", {"abx_days": 14, "abx_start": -14}),
    ]:
        microbiome._cached.cache_clear()
        start = time.perf_counter()
        results = microbiome.cohort_results(label, **params)
        elapsed = time.perf_counter() - start
        print(f"  {len(results)} patients, {label:<52} {elapsed:6.2f} s")


def bench_book() -> None:
    with tempfile.TemporaryDirectory() as out:
        jb = Path(sys.executable).with_name("jupyter-book")
        start = time.perf_counter()
        result = subprocess.run(
            [str(jb), "build", str(ROOT), "--path-output", out, "--all", "-W", "-n", "--keep-going"],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"\nClean book build: {elapsed:.1f} s, {status} (target: about a minute on 2 cores)")
        html = Path(out) / "_build" / "html"
        print("\nChapter page size (HTML with its inline figure data; shared plotly.js excluded)")
        for page in sorted((html / "chapters").glob("*.html")):
            size = page.stat().st_size
            figures = page.read_text().count('class="widgets-figure"')
            print(f"  {page.stem:<36} {size / 1024:8.0f} KiB  {figures} figures")
        plotly_js = html / "_static" / "plotly.min.js"
        if plotly_js.exists():
            print(f"  (shared plotly.min.js: {plotly_js.stat().st_size / 1024:.0f} KiB, cached once)")


if __name__ == "__main__":
    bench_models()
    bench_views()
    bench_cohort()
    bench_book()
