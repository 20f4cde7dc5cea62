"""docs/architecture.md draws who imports whom; this test keeps the drawing true.

The table between the ``imports`` markers is generated from the code (``import_table``)
and the rules of STYLE.md "Who may import whom" are checked on the same graph.
Print the current table with ``.venv/bin/python tests/prb/test_architecture.py``.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- imports:start -->", "<!-- imports:end -->"

# Layers of STYLE.md, lowest first.
PLAIN = {"lib", "common", "eligibility", "interop"}  # import nothing of the project but lib
CORE = {"facilities", "accounts", "patients"}
FEATURES = {"pharmacy", "referrals"}
READERS = {"alerts", "dashboards"}  # read from the others; only wiring imports them
INTEGRATIONS = {"bpjs", "satusehat"}
WIRING = {"prb", "demo"}
# The one door from a feature into an integration: a write queues its record for sending
# in the same transaction (STYLE.md 14, the outbox), through the integration's ``outbox``.
OUTBOX_DOORS = {"satusehat.outbox", "bpjs.outbox"}


def apps() -> list[str]:
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").exists() and p.name not in {"tests", "benchmarks"}
    )


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def import_graph(*, through_outbox: bool = True) -> dict[str, set[str]]:
    """App → the project apps its code imports (migrations left out).

    ``through_outbox=False`` leaves out the imports of an integration's outbox module.
    """
    names = set(apps())
    graph: dict[str, set[str]] = defaultdict(set)
    for app in names:
        graph[app]
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in _imported(path):
                top = module.split(".")[0]
                if not through_outbox and module in OUTBOX_DOORS:
                    continue
                if top in names and top != app:
                    graph[app].add(top)
    return dict(graph)


def import_table() -> str:
    rows = ["| app | imports |", "|---|---|"]
    for app, imported in sorted(import_graph().items()):
        rows.append(f"| `{app}` | {', '.join(f'`{name}`' for name in sorted(imported)) or '—'} |")
    return "\n".join(rows)


def test_the_documented_import_table_is_the_codes() -> None:
    text = DOC.read_text()
    documented = text.split(START)[1].split(END)[0].strip()
    assert documented == import_table(), (
        f"docs/architecture.md is stale; the table is:\n{import_table()}"
    )


def test_plain_modules_import_nothing_of_the_project_but_lib() -> None:
    graph = import_graph()
    assert graph.get("lib", set()) == set()
    assert {app: graph[app] - {"lib"} for app in PLAIN if graph.get(app, set()) - {"lib"}} == {}


def test_the_rules_and_lib_do_not_import_django() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (ROOT / "eligibility" / "rules", ROOT / "lib", ROOT / "pharmacy" / "planning")
        for path in folder.rglob("*.py")
        if any(m.split(".")[0] == "django" for m in _imported(path))
    ]
    assert offenders == []


def test_the_core_imports_no_feature_app() -> None:
    graph = import_graph()
    allowed = CORE | {"lib", "common"}
    assert {app: graph[app] - allowed for app in CORE if graph[app] - allowed} == {}


def test_pharmacy_imports_the_core_only() -> None:
    assert import_graph(through_outbox=False)["pharmacy"] <= CORE | {"lib", "common"}


def test_referrals_imports_eligibility_pharmacy_and_the_core() -> None:
    allowed = CORE | {"eligibility", "pharmacy", "lib", "common"}
    assert import_graph(through_outbox=False)["referrals"] <= allowed


def test_only_the_wiring_imports_alerts_dashboards_and_integrations() -> None:
    """Features reach an integration only through its outbox queue (``OUTBOX_DOORS``)."""
    graph = import_graph(through_outbox=False)
    leaves = READERS | INTEGRATIONS
    offenders = {
        app: graph[app] & leaves for app in graph if app not in WIRING and graph[app] & leaves
    }
    assert offenders == {}


if __name__ == "__main__":
    sys.stdout.write(import_table() + "\n")
