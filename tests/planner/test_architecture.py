"""The apps depend one way (#17): no cycle between apps, and no import of a higher layer.

The graph is read from the source, imports inside functions included, by
benchmarks/architecture/report.py (``python benchmarks/architecture/report.py`` prints it).
The layer order is ``report.LAYERS``; docs/architecture.md draws it."""

from pathlib import Path

from benchmarks.architecture.report import LAYERS, app_graph, cycles, layer_violations

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"apps without a layer in report.LAYERS: {apps - set(LAYERS)}"


def test_no_cycle_between_apps():
    assert cycles(app_graph(ROOT)) == []


def test_no_import_of_a_higher_layer():
    upward = [
        f"{file}:{line}: {src} imports {dst}, a higher layer"
        for file, line, src, dst in layer_violations(ROOT)
    ]
    assert upward == [], "layers: " + " < ".join(LAYERS) + "\n" + "\n".join(upward)
