"""Fictional dispute-resolution statistics for the demo. reports/demo.py (owned by the
metrics part) calls ``seed(stdout)``; it is safe to run again (one row per school year,
existing rows are left alone).
"""

from fiep.schoolyear import current_school_year
from reports.models import DisputeStatistics

#: Child complaints falling as facilitation grows, as in the seed program (fictional).
COMPLAINTS = [152, 147, 139, 128, 117, 109, 98, 91]


def seed(stdout):
    last = current_school_year().start_year - 1
    first = last - len(COMPLAINTS) + 1
    created = 0
    for offset, complaints in enumerate(COMPLAINTS):
        _row, was_created = DisputeStatistics.objects.get_or_create(
            start_year=first + offset,
            defaults={
                "child_complaints": complaints,
                "allegations": round(complaints * 2.7),
                "mediations": 55 + 3 * offset,
                "due_process": max(60, 104 - 6 * offset),
            },
        )
        created += was_created
    stdout.write(f"reports.history: {created} school years of dispute-resolution statistics")
