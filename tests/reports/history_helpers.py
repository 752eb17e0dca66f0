"""Shared helpers of the history-import tests."""

from pathlib import Path

from evaluations.models import Evaluation
from facilitators.models import Assignment, Facilitator
from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting
from reports.models import DisputeStatistics, HistoryImport

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "history"

MODELS = [
    Region,
    District,
    Facilitator,
    FacilitationRequest,
    Meeting,
    Assignment,
    Evaluation,
    DisputeStatistics,
    HistoryImport,
]


def example_files():
    return {path.name: path.read_bytes() for path in sorted(EXAMPLES.glob("*.csv"))}


def csv_bytes(*lines):
    return ("\n".join(lines) + "\n").encode()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


MEETINGS_HEADER = (
    "reference,district_code,requested_on,requested_by,facilitator_email,"
    "status,meeting_date,outcome"
)
