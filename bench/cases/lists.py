"""The staff list pages (issue 16): default, filtered, sorted, first and last page.

"Last page" follows the page's own "Last" link (``page=last``).
"""

from bench.registry import LIST, case

# --- inbox -----------------------------------------------------------------------------------
INBOX = "/requests/inbox/"


@case("inbox: default (page 1)", group="lists", target=LIST)
def inbox_default(ctx):
    return ctx.get(INBOX)


@case("inbox: last page", group="lists", target=LIST)
def inbox_last(ctx):
    return ctx.get(INBOX, page="last")


@case("inbox: status closed", group="lists", target=LIST)
def inbox_status(ctx):
    return ctx.get(INBOX, status="closed")


@case("inbox: sorted by district, last page", group="lists", target=LIST)
def inbox_sorted_district(ctx):
    return ctx.get(INBOX, ordering="district", page="last")


@case("inbox: sorted by tracking number", group="lists", target=LIST)
def inbox_sorted_reference(ctx):
    return ctx.get(INBOX, ordering="-reference")


@case("inbox: search a tracking number", group="lists", target=LIST)
def inbox_search(ctx):
    return ctx.get(INBOX, q="LS-2020-00042")


@case("inbox: one facilitator", group="lists", target=LIST)
def inbox_facilitator(ctx):
    from facilitators.models import Facilitator

    pk = Facilitator.objects.order_by("pk").values_list("pk", flat=True).first()
    return ctx.get(INBOX, facilitator=pk)


# --- claims ----------------------------------------------------------------------------------
CLAIMS = "/meetings/claims/"


@case("claims: default", group="lists", target=LIST)
def claims_default(ctx):
    return ctx.get(CLAIMS)


@case("claims: approved, last page", group="lists", target=LIST)
def claims_last(ctx):
    return ctx.get(CLAIMS, status="approved", page="last")


@case("claims: submitted", group="lists", target=LIST)
def claims_submitted(ctx):
    return ctx.get(CLAIMS, status="submitted")


# --- evaluation tracking ---------------------------------------------------------------------
TRACKING = "/evaluations/"


@case("evaluation tracking: current year", group="lists", target=LIST)
def tracking_default(ctx):
    return ctx.get(TRACKING)


@case("evaluation tracking: all years, last page", group="lists", target=LIST)
def tracking_last(ctx):
    return ctx.get(TRACKING, start="2017-07-01", end="2026-06-30", page="last")


@case("evaluation tracking: one year", group="lists", target=LIST)
def tracking_year(ctx):
    return ctx.get(TRACKING, start="2021-07-01", end="2022-06-30")


# --- access log (administrators) -------------------------------------------------------------
ACCESS = "/staff/access-log/"


@case("access log: default", group="lists", target=LIST)
def access_default(ctx):
    return ctx.get(ACCESS, client=ctx.admin_client)


@case("access log: last page", group="lists", target=LIST)
def access_last(ctx):
    return ctx.get(ACCESS, client=ctx.admin_client, page="last")


@case("access log: one case", group="lists", target=LIST)
def access_case(ctx):
    return ctx.get(ACCESS, client=ctx.admin_client, case_reference="ls-2020-00042")


@case("access log: one month", group="lists", target=LIST)
def access_month(ctx):
    return ctx.get(ACCESS, client=ctx.admin_client, since="2022-03-01", until="2022-03-31")


@case("access log: one month, last page", group="lists", target=LIST)
def access_month_last(ctx):
    return ctx.get(
        ACCESS, client=ctx.admin_client, since="2022-03-01", until="2022-03-31", page="last"
    )


# --- roster, report runs, outbox, destruction certificates, calendar -------------------------
@case("roster: default", group="lists", target=LIST)
def roster_default(ctx):
    return ctx.get("/facilitators/")


@case("roster: last page", group="lists", target=LIST)
def roster_last(ctx):
    return ctx.get("/facilitators/", page="last")


@case("report runs", group="lists", target=LIST)
def runs(ctx):
    return ctx.get("/reports/runs/")


@case("undelivered messages", group="lists", target=LIST)
def outbox(ctx):
    return ctx.get("/staff/outbox/undelivered/", client=ctx.admin_client)


# --- time entries (one claim's entries; one meeting's time log) ------------------------------
def _busiest_claim(ctx):
    from django.db.models import Count

    from meetings.models import PaymentClaim

    return (
        PaymentClaim.objects.annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
    ).first()


@case("time entries: one claim", group="lists", target=LIST, prepare=_busiest_claim)
def claim_entries(ctx):
    return ctx.get(f"/meetings/claims/{ctx.prepared}/")
