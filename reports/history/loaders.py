"""One loader per file: ``plan`` checks every row against the database and the earlier
files and decides what to create or update; ``apply`` writes it in bulk. Existing records
are read once per import (by key, into dicts), so the number of queries does not grow
with the number of rows beyond the bulk batches.
"""

from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from facilitators.models import ContractStatus, Facilitator, SpokenLanguage
from fiep.models import District, Region
from fiep.schoolyear import school_year_from_label
from reports.models import DisputeStatistics

from . import formats
from .cells import RowCells

BATCH = 500


@dataclass
class FileSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, created, changed):
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def as_dict(self):
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def duplicate(cells, column, key, seen):
    """Report a key already used on an earlier line of the same file; True if so."""
    if key in seen:
        cells.error(
            column,
            _("%(key)r appears twice in this file (first on line %(line)s)")
            % {"key": key, "line": seen[key]},
        )
        return True
    seen[key] = cells.line
    return False


class DistrictLoader:
    name = "districts.csv"

    def __init__(self):
        self.summary = FileSummary()
        self.new_regions = {}  # lower name → name
        self.creates = []
        self.updates = []

    def plan(self, table, state):
        seen = {}
        for row in table.rows:
            cells = RowCells(table, row, state.problems)
            code = cells.text("code", required=True, max_length=20)
            name = cells.text("name", required=True, max_length=200)
            region = cells.text("region", required=True, max_length=100)
            if code and duplicate(cells, "code", code, seen):
                continue
            if code:
                state.district_codes.add(code)
            if cells.failed:
                continue
            if region.lower() not in state.regions:
                self.new_regions.setdefault(region.lower(), region)
            existing = state.districts.get(code)
            if existing is None:
                self.creates.append((code, name, region.lower()))
                self.summary.count(True, False)
                continue
            current_region = state.region_names_by_id[existing.region_id].lower()
            changed = existing.name != name or current_region != region.lower()
            if changed:
                self.updates.append((existing, name, region.lower()))
            self.summary.count(False, changed)

    def apply(self, state):
        if self.new_regions:
            Region.objects.bulk_create(
                [Region(name=name) for name in self.new_regions.values()], batch_size=BATCH
            )
            state.load_regions()
        new = [
            District(code=code, name=name, region=state.regions[region])
            for code, name, region in self.creates
        ]
        District.objects.bulk_create(new, batch_size=BATCH)
        for district, name, region in self.updates:
            district.name = name
            district.region = state.regions[region]
        District.objects.bulk_update(
            [d for d, _n, _r in self.updates], ["name", "region"], batch_size=BATCH
        )
        for district in new:
            state.districts[district.code] = district


class FacilitatorLoader:
    name = "facilitators.csv"

    def __init__(self):
        self.summary = FileSummary()
        self.creates = []  # (email, first, last, status, regions, languages)
        self.updates = []  # (facilitator, first, last, status, regions, languages)
        self.with_regions = False
        self.with_languages = False

    def plan(self, table, state):
        self.with_regions = "regions" in table.columns
        self.with_languages = "languages" in table.columns
        seen = {}
        for row in table.rows:
            cells = RowCells(table, row, state.problems)
            email = cells.email("email", required=True)
            first = cells.text("first_name", required=True, max_length=100)
            last = cells.text("last_name", required=True, max_length=100)
            regions = cells.names("regions", max_length=100)
            languages = cells.names("languages", max_length=60)
            active = cells.choice("active", formats.YES_NO) or "yes"
            if email and duplicate(cells, "email", email.lower(), seen):
                continue
            if email:
                state.facilitator_emails.add(email.lower())
            for region in regions or []:
                if (
                    region.lower() not in state.regions
                    and not state.region_planned(region)
                    and state.checks("districts.csv")
                ):
                    cells.error(
                        "regions",
                        _("unknown region %(name)r (regions come from districts.csv)")
                        % {"name": region},
                    )
            if cells.failed:
                continue
            regions = {r.lower() for r in regions}
            languages = {lang.lower(): lang for lang in languages}
            existing = state.facilitators.get(email.lower())
            if existing is None:
                status = ContractStatus.ACTIVE if active == "yes" else ContractStatus.INACTIVE
                self.creates.append((email, first, last, status, regions, languages))
                self.summary.count(True, False)
                continue
            if active == "no":
                status = ContractStatus.INACTIVE
            elif existing.contract_status == ContractStatus.INACTIVE:
                status = ContractStatus.ACTIVE
            else:
                status = existing.contract_status  # a trial facilitator stays on trial
            current_regions = {r.name.lower() for r in existing.regions.all()}
            current_languages = {lang.name.lower() for lang in existing.languages.all()}
            changed = (
                (existing.first_name, existing.last_name, existing.contract_status)
                != (first, last, status)
                or (self.with_regions and current_regions != regions)
                or (self.with_languages and current_languages != set(languages))
            )
            if changed:
                self.updates.append((existing, first, last, status, regions, languages))
            self.summary.count(False, changed)

    def apply(self, state):
        wanted = {}
        for *_rest, languages in self.creates + self.updates:
            wanted.update(languages)
        known = {
            lang.name.lower(): lang
            for lang in SpokenLanguage.objects.annotate(key=Lower("name")).filter(
                key__in=list(wanted)
            )
        }
        missing = [SpokenLanguage(name=name) for key, name in wanted.items() if key not in known]
        SpokenLanguage.objects.bulk_create(missing, batch_size=BATCH)
        known.update({lang.name.lower(): lang for lang in missing})

        new = [
            Facilitator(
                email=email, first_name=first, last_name=last, contract_status=status, imported=True
            )
            for email, first, last, status, _r, _l in self.creates
        ]
        Facilitator.objects.bulk_create(new, batch_size=BATCH)
        changed = []
        for facilitator, first, last, status, _r, _l in self.updates:
            facilitator.first_name, facilitator.last_name = first, last
            facilitator.contract_status = status
            changed.append(facilitator)
        Facilitator.objects.bulk_update(
            changed, ["first_name", "last_name", "contract_status"], batch_size=BATCH
        )
        pairs = list(zip(new, self.creates, strict=True)) + [
            (f, plan) for f, plan in zip(changed, self.updates, strict=True)
        ]
        region_through = Facilitator.regions.through
        language_through = Facilitator.languages.through
        ids = [f.pk for f, _plan in pairs]
        if self.with_regions:
            region_through.objects.filter(facilitator_id__in=ids).delete()
            region_through.objects.bulk_create(
                [
                    region_through(facilitator_id=f.pk, region_id=state.regions[r].pk)
                    for f, plan in pairs
                    for r in sorted(plan[4])
                ],
                batch_size=BATCH,
            )
        if self.with_languages:
            language_through.objects.filter(facilitator_id__in=ids).delete()
            language_through.objects.bulk_create(
                [
                    language_through(facilitator_id=f.pk, spokenlanguage_id=known[key].pk)
                    for f, plan in pairs
                    for key in sorted(plan[5])
                ],
                batch_size=BATCH,
            )
        for facilitator in new:
            state.facilitators[facilitator.email.lower()] = facilitator


class DisputeLoader:
    name = "dispute_stats.csv"
    fields = ["child_complaints", "allegations", "mediations", "due_process"]

    def __init__(self):
        self.summary = FileSummary()
        self.creates = []
        self.updates = []

    def plan(self, table, state):
        existing = {row.start_year: row for row in DisputeStatistics.objects.all()}
        seen = {}
        for row in table.rows:
            cells = RowCells(table, row, state.problems)
            label = cells.text("school_year", required=True)
            year = None
            if label:
                try:
                    year = school_year_from_label(label).start_year
                except ValueError:
                    cells.error(
                        "school_year",
                        _("%(value)r is not a school year like 2016-2017") % {"value": label},
                    )
            values = {
                "child_complaints": cells.count("child_complaints", required=True),
                "allegations": cells.count("allegations", required=True),
                "mediations": cells.count("mediations"),
                "due_process": cells.count("due_process"),
            }
            if year is not None and duplicate(cells, "school_year", label, seen):
                continue
            if cells.failed:
                continue
            current = existing.get(year)
            if current is None:
                self.creates.append(DisputeStatistics(start_year=year, imported=True, **values))
                self.summary.count(True, False)
                continue
            changed = any(getattr(current, f) != v for f, v in values.items())
            if changed:
                for field, value in values.items():
                    setattr(current, field, value)
                self.updates.append(current)
            self.summary.count(False, changed)

    def apply(self, state):
        DisputeStatistics.objects.bulk_create(self.creates, batch_size=BATCH)
        DisputeStatistics.objects.bulk_update(self.updates, self.fields, batch_size=BATCH)
