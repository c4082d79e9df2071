"""The reconciliation reads the computed budget and returns a report: it changes nothing."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError

import pytest

from generator.present.render import View
from generator.reconcile import semantic
from generator.reconcile.checks import Report
from generator.reconcile.report import reconcile


def test_reconcile_mutates_nothing(content, seed):
    before = pickle.dumps(seed)
    snapshot = copy.deepcopy(seed)
    report = reconcile(seed)
    assert pickle.dumps(seed) == before
    # and the same input gives the same report as the build's
    assert isinstance(report, Report)
    assert report.outcomes == content.report(seed).outcomes
    assert [i.format("en") for i in report.issues] == [i.format("en") for i in content.report(seed).issues]
    assert reconcile(snapshot).outcomes == report.outcomes


def test_a_mutating_check_would_be_caught(seed, monkeypatch):
    """The snapshot comparison above sees a change anywhere in the computed budget."""
    real = semantic.check

    def mutating(db):
        object.__setattr__(db.budget.department, "slug", "changed")  # what frozen models make hard, not impossible
        return real(db)

    copied = copy.deepcopy(seed)
    before = pickle.dumps(copied)
    reconcile(copied)
    assert pickle.dumps(copied) == before
    monkeypatch.setattr(semantic, "check", mutating)
    reconcile(copied)
    assert pickle.dumps(copied) != before


def test_the_computed_budget_is_read_only(seed):
    with pytest.raises(FrozenInstanceError):
        seed.tables = {}
    with pytest.raises(TypeError):
        seed.tables["10"] = seed.tables["01"]
    with pytest.raises(TypeError):
        seed.figures["total"] = None
    with pytest.raises(FrozenInstanceError):
        seed.tables["08"].notes = ()
    with pytest.raises(AttributeError):
        seed.tables["08"].notes.append("x")
    with pytest.raises(TypeError):
        seed.tables["09"].rows[0].values["total"] = 0
    with pytest.raises(TypeError):
        seed.checked["01.inc.total.amount"] = 0
    with pytest.raises(FrozenInstanceError):
        reconcile(seed).outcomes = ()


def test_rounding_notes_come_from_the_report_not_from_the_tables(seed, seed_report):
    from generator.core.labels import ROUNDING_NOTE

    table = seed.tables["08"]
    assert ROUNDING_NOTE not in View(seed, "zh", seed_report).notes(table)  # the shipped content rounds cleanly
    rounded = Report(seed_report.issues, tuple(o.__class__(o.check, o.comparison, o.left, o.right, o.left_shown,
                                                           o.right_shown + 1, "rounding")
                                               if o.comparison.family == "08.parent=children" else o
                                               for o in seed_report.outcomes))
    assert rounded.rounded_tables >= {"08"}
    assert View(seed, "zh", rounded).notes(table)[-1] == ROUNDING_NOTE
    assert ROUNDING_NOTE not in table.notes
