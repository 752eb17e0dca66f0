import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .history_helpers import EXAMPLES, counts

pytestmark = pytest.mark.django_db


def run(directory, *args):
    out, err = StringIO(), StringIO()
    call_command("import_history", str(directory), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_history_command_loads_examples_and_prints_summary():
    out, err = run(EXAMPLES)

    assert out.splitlines() == [
        "districts.csv: 3 created, 0 updated, 0 unchanged",
        "facilitators.csv: 3 created, 0 updated, 0 unchanged",
        "meetings.csv: 8 created, 0 updated, 0 unchanged",
        "evaluations.csv: 6 created, 0 updated, 0 unchanged",
        "dispute_stats.csv: 3 created, 0 updated, 0 unchanged",
    ]
    assert err == ""


def test_import_history_command_twice_reports_unchanged():
    run(EXAMPLES)
    before = counts()

    out, _err = run(EXAMPLES)

    assert "meetings.csv: 0 created, 0 updated, 8 unchanged" in out
    assert counts()["FacilitationRequest"] == before["FacilitationRequest"]


def test_import_history_command_subset_of_files(tmp_path):
    shutil.copy(EXAMPLES / "dispute_stats.csv", tmp_path)

    out, _err = run(tmp_path)

    assert out.splitlines() == ["dispute_stats.csv: 3 created, 0 updated, 0 unchanged"]


def test_import_history_command_problems_to_stderr_and_nonzero_exit(tmp_path):
    shutil.copy(EXAMPLES / "districts.csv", tmp_path)
    (tmp_path / "meetings.csv").write_text(
        "reference,district_code,requested_on,requested_by,status\nMO-1,nowhere,2017-01-01,"
        "parent,declined\n"
    )
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_history", str(tmp_path), stdout=StringIO(), stderr=err)

    assert caught.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "meetings.csv:2: column district_code: unknown district 'nowhere' (not in districts.csv "
        "nor in the database)"
    ]
    assert counts()["District"] == 0


def test_import_history_command_dry_run_writes_nothing():
    out, _err = run(EXAMPLES, "--dry-run")

    assert "meetings.csv: 8 created, 0 updated, 0 unchanged" in out
    assert out.splitlines()[-1] == "Dry run: nothing was written."
    assert counts()["FacilitationRequest"] == 0


def test_import_history_command_empty_or_missing_directory(tmp_path):
    with pytest.raises(CommandError, match="none of the history files"):
        run(tmp_path)
    with pytest.raises(CommandError, match="not a directory"):
        run(tmp_path / "missing")
