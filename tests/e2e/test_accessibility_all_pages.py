"""axe on every page: a crawler logs in per role and runs axe on every page it can reach.

On every page it also checks that no id is used twice and that every ``<time datetime>``
value is valid HTML (``_markup_problems``).

The database is filled with the demo data (``manage.py seed_demo``), so pages show
realistic rows. For each role the crawler starts at the staff home, follows every
same-site link (breadth first, one page per URL name so a list of 40 cases costs one
visit), adds detail pages built from demo objects in every state, and then submits each
form that has required fields with those fields empty, to check its error state.
Public pages are crawled the same way, anonymously, in English and in Spanish.
Every page of a Spanish pass must also have no English left: no msgid of the catalogues
(two words or more, "Staff home") in its visible text, no IANA zone id, no day-first date
(``tests/spanish.py``).

Every problem on every page is collected first and reported together: the page, the axe
rule and the element.
"""

import datetime
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import timezone

from evaluations.models import EvaluationInvitation, FacilitatorSelfEvaluation, FollowUp
from facilitators.models import Assignment, Facilitator
from fiep.demo import DEMO_PASSWORD
from fiep_requests.models import FacilitationRequest, RequestStatus
from meetings.models import Meeting, MeetingStatus, PaymentClaim
from tests import factories, spanish

from .conftest import DESKTOP, PHONE, SCREENSHOTS, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Never followed: state changes, files, Django admin, log-out, language switch.
SKIP_NAMES = {
    "feed",  # the calendar feed (.ics)
    "feed-reset",
    "logout",
    "set_language",
    "health",
    "access-record-print",
}
SKIP_NAME_PARTS = ("export", "csv", "download", "paper-form", "delete", "mfa")
SKIP_NAMESPACES = {"admin"}


# Markup axe does not check: ids used twice, <time datetime> values HTML does not allow
# (a valid date, or date-time with at most 3 digits of fraction and an optional offset).
MARKUP_CHECK = r"""() => {
  const counts = {};
  for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
  const valid = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
  return {
    duplicates: Object.keys(counts).filter((id) => counts[id] > 1),
    times: [...document.querySelectorAll("time[datetime]")]
      .map((t) => t.getAttribute("datetime"))
      .filter((value) => !valid.test(value)),
  };
}"""


def _markup_problems(page, label):
    found = page.evaluate(MARKUP_CHECK)
    return [f"{label}: duplicate id {value!r}" for value in found["duplicates"]] + [
        f"{label}: invalid <time datetime> {value!r}" for value in found["times"]
    ]


def _axe_problems(page, label):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return _markup_problems(page, label) + [
        f"{label}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def _url_key(path):
    """The view's URL name (namespace:name), or None for pages not to visit."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace in SKIP_NAMESPACES or match.url_name in SKIP_NAMES:
        return None
    name = match.url_name or ""
    if any(part in name for part in SKIP_NAME_PARTS):
        return None
    return match.view_name


def _english_problems(page, label):
    """English left on a Spanish page: whole msgids, zone ids and day-first dates."""
    text = page.locator("body").inner_text()
    # Content marked translate="no" stays as written in any language (the office's postal
    # address, for the post office).
    for kept in page.locator('[translate="no"]').all_inner_texts():
        text = text.replace(kept, " ")
    return [
        f"{label}: {kind}: {', '.join(items[:8])}"
        for kind, items in spanish.problems(text, phrases_only=True).items()
    ]


class Crawler:
    def __init__(self, page, live_server, label, seen_keys=(), language="en", check=None):
        """``check(page, label, response)`` answers the problems of the page just loaded
        (``response``: its document's response); by default axe, the markup checks and,
        in Spanish, English left (``test_html_checker.py`` passes the Nu HTML checker's
        collector instead)."""
        self.language = language
        self.check = check or self.accessibility_problems
        self.page = page
        self.base = live_server.url
        self.label = label
        self.seen_keys = set(seen_keys)  # URL names another role has checked already
        self.seen_paths = set()
        self.visited = []
        self.problems = []
        self.form_pages = []

    def accessibility_problems(self, page, label, response):
        problems = _axe_problems(page, label)
        if self.language == "es":
            problems += _english_problems(page, label)
        return problems

    def links(self):
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != self.base:
                continue
            yield parts.path + (f"?{parts.query}" if parts.query else "")

    def visit(self, path):
        response = self.page.goto(self.base + path)
        status = response.status if response else 0
        if status >= 400 and status != 410:  # 410: a used or expired personal link
            self.problems.append(f"{self.label} {path}: HTTP {status}")
            return False
        self.visited.append(path)
        self.problems += self.check(self.page, f"{self.label} {path}", response)
        if self.page.locator("main form[method=post] [required]").count():
            self.form_pages.append(path)
        return True

    def crawl(self, start, extra=(), limit=120):
        queue = deque([start, *extra])
        forced = {start, *extra}
        while queue and len(self.visited) < limit:
            path = queue.popleft()
            key = _url_key(path.split("?")[0])
            if key is None or path in self.seen_paths:
                continue
            if key in self.seen_keys and path not in forced:
                continue
            self.seen_keys.add(key)
            self.seen_paths.add(path)
            if self.visit(path):
                queue.extend(link for link in self.links() if link not in self.seen_paths)

    def check_error_states(self):
        """Submit every form with required fields left empty and run axe on the result."""
        for path in self.form_pages:
            self.page.goto(self.base + path)
            form = self.page.locator("main form[method=post]:has([required])").first
            submit = form.locator("[type=submit]:visible")
            if not submit.count():  # the form opens with JavaScript (e.g. Decline)
                continue
            form.evaluate(
                """form => {
                    form.noValidate = true;
                    for (const el of form.querySelectorAll('[required]')) {
                        if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
                        else if (el.type !== 'file') el.value = '';
                    }
                }"""
            )
            documents = []  # the response of the submit (the page with the errors)

            def loaded(response, documents=documents):
                if response.request.is_navigation_request() and response.frame == (
                    self.page.main_frame
                ):
                    documents.append(response)

            self.page.on("response", loaded)
            submit.last.click()
            self.page.wait_for_load_state()
            self.page.remove_listener("response", loaded)
            label = f"{self.label} {path} (error state)"
            if not self.page.locator(
                ".invalid-feedback, .errorlist, .alert-danger, [role=alert]"
            ).count():
                self.problems.append(f"{label}: no error message shown")
            self.problems += self.check(self.page, label, documents[-1] if documents else None)

    def write_list(self):
        """artifacts/axe-pages-LABEL.txt: what axe checked, for a person reading CI."""
        SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
        lines = [*self.visited, *(f"{path} (error state)" for path in self.form_pages)]
        (SCREENSHOTS.parent / f"axe-pages-{self.label}.txt").write_text("\n".join(lines) + "\n")

    def assert_clean(self):
        self.write_list()
        assert not self.problems, (
            f"{len(self.problems)} problems on {len(self.visited)} pages:\n"
            + "\n".join(self.problems)
        )


def screenshots_main(page, live_server, pages):
    """Phone and desktop screenshots of the main pages: artifacts/screenshots/main-*.png."""
    for name, path in pages:
        if path is None:
            continue
        for viewport, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(live_server.url + path)
            screenshot(page, f"main-{name}-{viewport}")
    page.set_viewport_size(DESKTOP)


def _first(queryset, template):
    obj = queryset.order_by("pk").first()
    return template.format(obj=obj) if obj is not None else None


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _case(status):
    return FacilitationRequest.objects.filter(status=status).order_by("pk").first()


def _staff_detail_pages():
    """Detail pages of demo objects in each state (the crawler sees one per URL name)."""
    paths = []
    for status in RequestStatus.values:
        case = _case(status)
        if case:
            paths.append(f"/requests/case/{case.reference}/")
    approved = _case(RequestStatus.APPROVED)
    if approved:
        paths.append(f"/facilitators/requests/{approved.pk}/suggestions/")
    assigned = Assignment.objects.order_by("pk").first()
    if assigned:
        paths.append(f"/facilitators/requests/{assigned.request_id}/objection/")
    for status in MeetingStatus.values:
        meeting = Meeting.objects.filter(status=status).order_by("pk").first()
        if meeting:
            paths.append(f"/meetings/{meeting.pk}/")
    held = Meeting.objects.filter(status=MeetingStatus.HELD).order_by("pk").first()
    if held:
        paths += [
            f"/meetings/{held.pk}/outcome/",
            f"/evaluations/meetings/{held.pk}/",
            f"/evaluations/meetings/{held.pk}/responses/",
            f"/evaluations/meetings/{held.pk}/paper/",
            f"/evaluations/feedback/{held.facilitator_id}/",
        ]
    scheduled = Meeting.objects.filter(status=MeetingStatus.SCHEDULED).order_by("pk").first()
    if scheduled:
        paths += [f"/meetings/{scheduled.pk}/reschedule/", f"/meetings/{scheduled.pk}/cancel/"]
    claim = PaymentClaim.objects.order_by("pk").first()
    if claim:
        paths.append(f"/meetings/claims/{claim.pk}/")
    facilitator = Facilitator.objects.order_by("pk").first()
    if facilitator:
        paths += [
            f"/facilitators/{facilitator.pk}/",
            f"/facilitators/{facilitator.pk}/edit/",
            f"/facilitators/{facilitator.pk}/trainings/add/",
            f"/facilitators/{facilitator.pk}/unavailability/add/",
            f"/facilitators/{facilitator.pk}/conflicts/add/",
        ]
    paths += [
        "/facilitators/new/",
        "/requests/inbox/?status=under_review",
        "/meetings/claims/",
        "/reports/runs/",
        "/reports/history/import/",
        "/reports/history/disputes/",
        "/reports/history/disputes/add/",
    ]
    return paths


def _facilitator_detail_pages():
    facilitator = Facilitator.objects.get(user__username="facilitator")
    paths = ["/facilitators/my/", "/facilitators/my/profile/", "/meetings/mine/"]
    for assignment in Assignment.objects.filter(facilitator=facilitator).order_by("pk")[:4]:
        paths.append(f"/facilitators/my/cases/{assignment.request_id}/")
    mine = Meeting.objects.filter(facilitator=facilitator)
    for status in MeetingStatus.values:
        meeting = mine.filter(status=status).order_by("pk").first()
        if meeting:
            paths.append(f"/meetings/{meeting.pk}/")
    held = mine.filter(status=MeetingStatus.HELD).order_by("pk").first()
    if held:
        paths += [f"/meetings/{held.pk}/outcome/", f"/meetings/{held.pk}/time/"]
    return paths


def test_every_staff_and_administrator_page_is_accessible(page, live_server, demo):
    login(page, live_server, "staff", DEMO_PASSWORD)
    staff = Crawler(page, live_server, "staff")
    staff.crawl("/staff/", extra=_staff_detail_pages())
    screenshot(page, "crawl-last-page-staff")
    staff.check_error_states()
    assert len(staff.visited) >= 30, staff.visited
    approved = FacilitationRequest.objects.filter(status=RequestStatus.APPROVED)
    screenshots_main(
        page,
        live_server,
        [
            ("staff-home", "/staff/"),
            ("inbox", "/requests/inbox/"),
            ("case-page", _first(approved, "/requests/case/{obj.reference}/")),
            ("roster", "/facilitators/"),
            ("suggestions", _first(approved, "/facilitators/requests/{obj.pk}/suggestions/")),
            ("calendar", "/meetings/"),
            ("claims", "/meetings/claims/"),
            ("evaluations", "/evaluations/"),
            ("dashboard", "/reports/"),
        ],
    )

    # The administrator sees more (reports, the access log, history import): only the
    # pages office staff did not reach are checked again.
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, "admin", DEMO_PASSWORD)
    admin = Crawler(page, live_server, "admin", seen_keys=staff.seen_keys)
    admin.crawl("/staff/")
    admin.check_error_states()
    admin.write_list()
    staff.problems += admin.problems
    staff.assert_clean()


def test_every_facilitator_page_is_accessible(page, live_server, demo):
    login(page, live_server, "facilitator", DEMO_PASSWORD)
    crawler = Crawler(page, live_server, "facilitator")
    crawler.crawl("/staff/", extra=_facilitator_detail_pages())
    screenshot(page, "crawl-last-page-facilitator")
    crawler.check_error_states()
    assert len(crawler.visited) >= 8, crawler.visited
    # The portal in Spanish (a facilitator may choose it): lang and axe on its pages.
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    for path in ["/staff/", *_facilitator_detail_pages()[:5]]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "es"
        crawler.problems += _axe_problems(page, f"facilitator (es) {path}")
        crawler.problems += _english_problems(page, f"facilitator (es) {path}")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    crawler.assert_clean()
    mine = Meeting.objects.filter(facilitator__user__username="facilitator")
    screenshots_main(
        page,
        live_server,
        [
            ("portal", "/facilitators/my/"),
            ("portal-case", _first(mine, "/facilitators/my/cases/{obj.request_id}/")),
            ("my-meetings", "/meetings/mine/"),
            (
                "outcome-form",
                _first(mine.filter(status=MeetingStatus.HELD), "/meetings/{obj.pk}/outcome/"),
            ),
        ],
    )
    crawler.assert_clean()


def _open_invitation():
    """An unused, unexpired survey link (the demo's open ones may have expired by now)."""
    open_links = EvaluationInvitation.objects.filter(
        used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if not open_links.exists():
        factories.EvaluationInvitationFactory(
            meeting=Meeting.objects.filter(status=MeetingStatus.HELD).order_by("pk").first()
        )
    return open_links.order_by("pk").first()


def _public_pages():
    """Public pages with a personal link, built from demo objects."""
    paths = ["/", "/faq/", "/requests/new/", "/accounts/login/", "/accounts/password-reset/"]
    paths += ["/requests/materials/", "/requests/materials/procedures/"]
    paths += ["/accounts/password-reset/sent/", "/accounts/reset/MQ/not-a-token/"]
    paths += ["/accounts/reset/done/"]
    waiting = FacilitationRequest.objects.filter(status=RequestStatus.AWAITING_CONSENT).first()
    if waiting:
        paths.append(f"/requests/consent/{waiting.consent_token}/")
    for status in (RequestStatus.SUBMITTED, RequestStatus.SCHEDULED, RequestStatus.CLOSED):
        case = _case(status)
        if case:
            paths.append(f"/requests/status/{case.status_token}/")
    # The status link of a request accepted and not filed yet ("the office is filing").
    from fiep_requests.models import Submission

    unfiled, _ = Submission.objects.get_or_create(
        reference="FIEP-2026-9999",
        defaults={"data": {"requested_by": "parent", "parent_language": "es"}},
    )
    paths.append(f"/requests/status/{unfiled.status_token}/")
    paths.append(f"/evaluations/survey/{_open_invitation().token}/")
    expired = EvaluationInvitation.objects.filter(
        used_at__isnull=True, expires_at__lte=timezone.now()
    ).first()
    if expired:
        paths.append(f"/evaluations/survey/{expired.token}/")
    used = EvaluationInvitation.objects.filter(used_at__isnull=False).order_by("pk").first()
    if used:
        paths.append(f"/evaluations/survey/{used.token}/")
    follow_up = FollowUp.objects.filter(used_at__isnull=True).order_by("pk").first()
    if follow_up:
        paths.append(f"/evaluations/follow-up/{follow_up.token}/")
    self_evaluation = (
        FacilitatorSelfEvaluation.objects.filter(used_at__isnull=True).order_by("pk").first()
    )
    if self_evaluation:
        paths.append(f"/evaluations/self/{self_evaluation.token}/")
    paths += ["/evaluations/thanks/", "/evaluations/self-thanks/", "/requests/nowhere-404/"]
    return paths


def test_every_public_page_is_accessible_in_english_and_spanish(page, live_server, demo):
    problems = []
    for language in ("en", "es"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        crawler = Crawler(page, live_server, f"public-{language}", language=language)
        crawler.crawl("/", extra=[p for p in _public_pages() if _url_key(p)])
        assert page.locator("html").get_attribute("lang") == language
        page.goto(f"{live_server.url}/requests/nowhere/")
        crawler.problems += _axe_problems(page, f"public-{language} 404 page")
        crawler.check_error_states()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill("nobody")
        page.locator("#id_password").fill("wrong-password-" + datetime.date.today().isoformat())
        page.locator("main [type=submit]").click()
        crawler.problems += _axe_problems(page, f"public-{language} login (wrong password)")
        crawler.write_list()
        problems += crawler.problems
    waiting = FacilitationRequest.objects.filter(status=RequestStatus.AWAITING_CONSENT)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    screenshots_main(
        page,
        live_server,
        [
            ("home", "/"),
            ("request-form", "/requests/new/"),
            ("status", _first(FacilitationRequest.objects, "/requests/status/{obj.status_token}/")),
            ("consent", _first(waiting, "/requests/consent/{obj.consent_token}/")),
            ("survey", f"/evaluations/survey/{_open_invitation().token}/"),
        ],
    )
    assert problems == []


def test_the_axe_check_finds_a_planted_violation(page, live_server):
    """The harness itself: a page with an unlabelled field and an image without alt fails."""
    page.goto(f"{live_server.url}/faq/")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<input type="text"><img src="/x.png">');
        }"""
    )
    rules = {line.split(": ")[1].split(" ")[0] for line in _axe_problems(page, "planted")}
    assert {"label", "image-alt"} <= rules


def test_the_spanish_pass_finds_planted_english(page, live_server):
    """The Spanish check itself: a Spanish page is clean, and the same page with the
    English heading "Staff home", a zone id and a day-first date is not."""
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(f"{live_server.url}/faq/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert _english_problems(page, "faq (es)") == []
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML(
                'afterbegin', '<h1>Staff home</h1><p>20/11/2026 America/Chicago</p>');
        }"""
    )
    found = "\n".join(_english_problems(page, "planted"))
    assert "Staff home" in found
    assert "America/Chicago" in found
    assert "20/11/2026" in found
