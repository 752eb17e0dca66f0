"""Print layout of the annual PDF, read back page by page: no table row is split from
its label, and a long table repeats its header row on every page it continues on."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from reports import metrics
from reports.pdf import export_pdf

from .program_history import build_program_history

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def long_tables_pdf(settings):
    """61 districts of one meeting each, every row printed (threshold 1)."""
    settings.FIEP_SUPPRESSION_THRESHOLD = 1
    build_program_history()
    data = export_pdf(metrics.compute(D(2017, 7, 1), D(2018, 6, 30)))[2]
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pages_with(pages, pattern):
    return [i for i, text in enumerate(pages) if re.search(pattern, text)]


def test_no_district_row_is_split_from_its_label(long_tables_pdf):
    # each label wraps over several lines ("Example County R-7 Consolidated School
    # District (107-001)"); its first words and its code must sit on the same page
    # (the PDF prints the 15 districts with the most meetings and one "other districts"
    # row; the full table is the CSV appendix)
    pages = long_tables_pdf
    printed = 0
    for i in range(61):
        name_pages = pages_with(pages, rf"Example County R-{i}\b")
        code_pages = pages_with(pages, rf"\({100 + i:03d}-001\)")
        assert code_pages == name_pages, (i, name_pages, code_pages)
        printed += bool(name_pages)
    assert printed >= 15


def test_district_table_spans_pages_and_repeats_its_header(long_tables_pdf):
    pages = long_tables_pdf
    district_pages = pages_with(pages, r"Example County R-\d+")
    assert len(district_pages) >= 2
    for page in district_pages:
        # the last header cell ("Recommend rate", hyphenated in the narrow column)
        assert re.search(r"Recom\S*\s*mend\s+rate", pages[page]), page
