"""The public request form's POST against a bare one-row insert through the same stack.

Each POST runs inside a transaction that is rolled back, so the database stays the same
from run to run (on-commit work, such as queueing the e-mail sender, is not run: the same
for both rows). bench/run configures a broker, so Celery is not eager and the POST only
accepts the request, as in production; the worker's filing is measured apart (not a
target). Target (issue 16): ≥ 0.5× the bare insert's rate, i.e. ≤ 2× its time, and ≤ 12
queries.
"""

import datetime
from urllib.parse import urlencode

from bench.registry import Target, case

BARE = "bare one-row insert view (POST)"


def _district(ctx):
    from fiep.models import District

    return District.objects.order_by("pk").values_list("pk", flat=True).first()


def form_data(district):
    today = datetime.date.today()
    return {
        "requested_by": "parent",
        "student_first_name": "Lucia",
        "student_last_name": "Ejemplo",
        "student_birth_date": "2013-05-02",
        "student_grade": "5",
        "school_name": "Prairie Elementary",
        "district": str(district),
        "disability_category": "autism",
        "has_iep": "yes",
        "parent_name": "Rosa Ejemplo",
        "parent_email": "rosa@example.org",
        "parent_phone": "555-0101",
        "parent_language": "es",
        "interpreter_needed": "no",
        "interpreter_language": "",
        "accommodations": "",
        "district_contact_name": "Dana Director",
        "district_contact_title": "Special education director",
        "district_contact_email": "dana@district.example.org",
        "district_contact_phone": "",
        "meeting_type": "annual_review",
        "meeting_date_set": (today + datetime.timedelta(days=30)).isoformat(),
        "preferred_times": "Afternoons",
        "preferred_format": "video",
        "concerns": ["services", "goals"],
        "narrative": "We disagree about speech services.",
        "other_process_pending": "no",
        "requester_consents": "on",
        "signature_name": "Rosa Ejemplo",
        "signature_date": today.isoformat(),
        "website": "",
        "submission_token": "",
    }


def _post(ctx, url, data):
    # Encoded as a browser sends a form without a file field (the request form has no
    # ``enctype``): application/x-www-form-urlencoded, not the test client's default
    # multipart, whose parsing of 33 fields alone took about 1 ms.
    with ctx.rolled_back():
        response = ctx.anonymous.post(
            url,
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=ctx.next_ip(),
        )
    if response.status_code != 302:
        raise AssertionError(f"POST {url}: status {response.status_code}")
    return response


@case(BARE, group="public", prepare=_district, order=10)
def bare_insert(ctx):
    return _post(
        ctx, "/bench/bare-insert/", {"parent_name": "Rosa Ejemplo", "district": ctx.prepared}
    )


@case(
    "public request form: validation only, nothing saved (POST)",
    group="public",
    prepare=_district,
    order=10,
)
def form_validation(ctx):
    # Not a target: the floor of the submit below (Django's checks of the 34 fields and
    # the district look-up), next to the bare insert it is compared with.
    return _post(ctx, "/bench/form-validation/", form_data(ctx.prepared))


def _accepted(ctx):
    from fiep_requests.forms import RequestForm

    form = RequestForm(form_data(_district(ctx)))
    if not form.is_valid():
        raise AssertionError(form.errors)
    return form.submission_data()


@case(
    "public request form: accepted and filed at once (the worker's share)",
    group="public",
    prepare=_accepted,
    order=10,
)
def public_filing(ctx):
    # The acceptance, then what the beat's intake run does per submission: the request,
    # its history and the messages to the parties (rolled back like the POST).
    from fiep_requests.services import intake

    with ctx.rolled_back():
        submission = intake._accept(data=ctx.prepared, ip="", submission_token=None)
        return intake.submission_file(submission.pk)


@case(
    "public request form POST",
    group="public",
    prepare=_district,
    order=10,
    target=Target(vs=BARE, vs_max=2, max_queries=12, paired=True),
)
def public_post(ctx):
    return _post(ctx, "/requests/new/", form_data(ctx.prepared))
