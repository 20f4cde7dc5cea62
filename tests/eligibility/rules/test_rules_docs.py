"""docs/criteria.md is generated from the clause declarations and must not drift."""

from pathlib import Path

from eligibility.rules import criteria_catalogue
from eligibility.rules.docs import render_markdown

CRITERIA_MD = Path(__file__).resolve().parents[3] / "docs" / "criteria.md"


def test_docs_criteria_md_is_the_generated_document():
    assert CRITERIA_MD.read_text(encoding="utf-8") == render_markdown(), (
        "docs/criteria.md is stale: run python -m eligibility.rules.docs > docs/criteria.md"
    )


def test_the_document_has_every_clause_its_rule_and_reading():
    document = render_markdown()
    for entry in criteria_catalogue():
        assert f"#### {entry['id']}\n\n> {entry['text']}\n" in document
        assert f"- **Rule:** {entry['rule']}" in document
        if entry["note"]:
            assert f"- **Reading:** {entry['note']}" in document


def test_the_document_states_how_to_reproduce_the_performance_figure():
    document = render_markdown()
    assert "## Performance" in document
    assert "benchmarks/bench_eligibility.py" in document
