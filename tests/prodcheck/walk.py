"""The walk of bin/prod-check: one whole case through the production shape, in chromium.

It talks to the running site only the way people do: through the browser, the e-mails the
SMTP server kept, and the downloaded PDF. It never opens the database or imports Django.
Each step prints its name; the first failure prints the step, the reason and a screenshot
path, and exits 1.

    python -m tests.prodcheck.walk --base-url http://127.0.0.1:8001 --mail-dir /tmp/mail \
        --passwords /tmp/passwords --downloads /tmp/downloads --worker-log /tmp/worker.log
"""

import argparse
import datetime
import io
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

from ..chromium import launch
from .tools import (
    PROXY_HEADERS,
    Authenticator,
    Mailbox,
    WalkFailed,
    check,
    fetch_status,
    health,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "prod-check"
PDF_WAIT_SECONDS = 180

PARENT_EMAIL = "rosa.parent@prod-check.example.org"
DISTRICT_EMAIL = "dana.director@prod-check.example.org"


class Walk:
    """The people of one case, each in their own browser context behind the TLS proxy."""

    def __init__(self, args, browser):
        self.base = args.base_url.rstrip("/")
        self.mail = Mailbox(args.mail_dir)
        self.passwords = Path(args.passwords)
        self.downloads = Path(args.downloads)
        self.worker_log = Path(args.worker_log)
        self.zone = ZoneInfo(args.time_zone)
        self.browser = browser
        self.phone = Authenticator()
        self.number = 0
        self.page = None
        self.reference = None
        self.case_path = None
        self.server_errors = []

    # one browser context per person, each behind the TLS proxy
    def new_page(self):
        context = self.browser.new_context(
            base_url=self.base,
            extra_http_headers=PROXY_HEADERS,
            viewport={"width": 1280, "height": 900},
            locale="en-US",
            accept_downloads=True,
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("response", self._watch)
        return page

    def _watch(self, response):
        if response.status >= 500:
            self.server_errors.append(
                f"{response.request.method} {response.url} answered {response.status}"
            )

    def step(self, name, func):
        self.number += 1
        started = time.monotonic()
        print(f"  walk {self.number:2d}. {name}", flush=True)
        try:
            try:
                func()
            finally:
                check(not self.server_errors, f"server error: {'; '.join(self.server_errors)}")
            health(self.base)
        except Exception as exc:
            shot = ""
            if self.page is not None and not self.page.is_closed():
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                path = ARTIFACTS / f"failed-step-{self.number:02d}.png"
                try:
                    self.page.screenshot(path=str(path), full_page=True)
                    shot = f" (screenshot: {path.relative_to(ROOT)}; page {self.page.url})"
                except Exception:  # noqa: BLE001,S110  (the report matters more)
                    pass
            detail = str(exc)
            if not isinstance(exc, WalkFailed):
                frames = traceback.extract_tb(exc.__traceback__)
                here = [f for f in frames if f.filename == __file__]
                where = f" (walk.py line {here[-1].lineno}: {here[-1].line})" if here else ""
                detail = f"{type(exc).__name__}: {exc}{where}"
            print(
                f"prod-check walk FAILED at step {self.number} ({name}): {detail}{shot}",
                file=sys.stderr,
                flush=True,
            )
            sys.exit(1)
        print(f"      ok ({time.monotonic() - started:.1f} s)", flush=True)

    def h1(self):
        return self.page.get_by_role("heading", level=1).first.inner_text().strip()

    def status_text(self):
        return " ".join(self.page.locator("[role=status], .alert").all_inner_texts())

    # -- log-in with two steps ---------------------------------------------------------------

    def log_in(self, username):
        if self.page is not None:
            self.page.context.close()
        self.page = page = self.new_page()
        password = (self.passwords / username).read_text().strip()
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main [type=submit]").first.click()
        page.wait_for_load_state()
        if "/accounts/mfa/setup/" in page.url:
            if not page.locator("main code").count():
                # A password alone may not enrol a device: open the one-time set-up link
                # the administrator's command e-mailed (when this version has one).
                link, _ = self.mail.wait_for_link(
                    to=f"{username}@",
                    pattern=r"https?://\S+/accounts/mfa/enrol/[^\s/]+/",
                    what="the two-step set-up link",
                )
                page.goto(link)
            # First log-in: the page shows the key; "type it into the app".
            secret = page.locator("main code").first.inner_text().strip().replace(" ", "")
            check(re.fullmatch(r"[A-Z2-7]{16,}", secret), f"no key on the set-up page: {secret!r}")
            self.phone.secrets[username] = secret
            page.locator("main input[name=token]").fill(self.phone.code(username))
            page.locator("main [type=submit]").first.click()
            check(
                self.h1() == "Your recovery codes",
                f"{username}: two-step set-up was not accepted (page: {self.h1()!r})",
            )
        elif "/accounts/mfa/" in page.url:
            check(username in self.phone.secrets, f"{username} has no authenticator yet")
            page.locator("main input[name=token]").fill(self.phone.code(username))
            page.locator("main [type=submit]").first.click()
            page.wait_for_load_state()
            check(
                "/accounts/mfa/" not in page.url,
                f"{username}: the two-step code was refused (page: {self.h1()!r})",
            )
        else:
            raise WalkFailed(f"{username}: log-in did not ask for a second step ({page.url})")
        page.goto("/staff/")
        check(page.url.endswith("/staff/"), f"{username} cannot open the staff home: {page.url}")
        self.check_cookies(page, "sessionid", "csrftoken")

    # -- the steps --------------------------------------------------------------------------

    def healthy(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                return health(self.base)
            except WalkFailed:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def proxy_and_static(self):
        status, location = fetch_status(f"{self.base}/")
        check(
            status == 301 and location.startswith("https://"),
            f"without X-Forwarded-Proto the site must redirect to https (got {status} {location})",
        )
        status, _ = fetch_status(f"{self.base}/", PROXY_HEADERS)
        check(status == 200, f"the home page behind the proxy answered {status}")
        self.page = page = self.new_page()
        missing = page.goto("/no-such-page/")
        check(missing.status == 404, f"an unknown address answered {missing.status}")
        check("URLconf" not in page.content(), "the 404 page is Django's debug page: DEBUG is on")
        page.context.close()
        self.page = page = self.new_page()
        response = page.goto("/")
        check(response.status == 200, f"home page: {response.status}")
        headers = response.headers
        for name in ("strict-transport-security", "content-security-policy"):
            check(name in headers, f"the home page has no {name} header")
        css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
        check(
            re.search(r"\.[0-9a-f]{12}\.css$", css or ""),
            f"stylesheet is not served from the manifest: {css}",
        )
        static = page.request.get(css)
        check(static.status == 200, f"{css} is not served")
        check(
            "immutable" in static.headers.get("cache-control", ""),
            f"{css} is not cached for good: {static.headers.get('cache-control')}",
        )
        page.goto("/requests/new/")
        self.check_cookies(page, "csrftoken")

    @staticmethod
    def check_cookies(page, *names):
        """Cookies the site set are Secure (TLS at the proxy) and HttpOnly."""
        cookies = {c["name"]: c for c in page.context.cookies()}
        for name in names:
            check(name in cookies, f"no {name} cookie (cookies: {sorted(cookies)})")
        for cookie in cookies.values():
            check(cookie["secure"] and cookie["httpOnly"], f"cookie not Secure+HttpOnly: {cookie}")

    def enrol_everyone(self):
        for username in ("olivia", "adam", "fiona"):
            self.log_in(username)

    def parent_submits(self):
        self.page.context.close()
        self.page = page = self.new_page()
        page.goto("/requests/new/")
        page.get_by_role("radio", name="Parent or guardian", exact=True).check()
        page.locator("#id_student_first_name").fill("Lucia")
        page.locator("#id_student_last_name").fill("Ejemplo")
        page.locator("#id_student_birth_date").fill("2013-05-02")
        page.locator("#id_student_grade").fill("5")
        page.locator("#id_school_name").fill("Prairie Elementary")
        page.locator("#id_district").select_option(label="Prairie Hills R-I (010-001)")
        page.locator("#id_disability_category").select_option("autism")
        page.locator("#id_has_iep_0").check()
        page.locator("#id_parent_name").fill("Rosa Ejemplo")
        page.locator("#id_parent_email").fill(PARENT_EMAIL)
        page.locator("#id_district_contact_name").fill("Dana Director")
        page.locator("#id_district_contact_email").fill(DISTRICT_EMAIL)
        page.locator("#id_meeting_type").select_option("annual_review")
        page.get_by_role("radio", name="Video").check()
        page.get_by_role("checkbox", name="Services", exact=True).check()
        page.locator("#id_narrative").fill("We disagree about speech services.")
        page.get_by_role("checkbox", name=re.compile("^I agree to a facilitated IEP")).check()
        page.locator("#id_signature_name").fill("Rosa Ejemplo")
        page.get_by_role("button", name="Send the request").click()
        check(self.h1() == "Request received", f"after submitting: {self.h1()!r}")
        match = re.search(r"FIEP-\d{4}-\d{4,}", page.inner_text("main"))
        check(match, "no tracking number on the confirmation page")
        self.reference = match.group(0)
        print(f"      tracking number {self.reference}", flush=True)

    def district_consents(self):
        link, _ = self.mail.wait_for_link(
            to=DISTRICT_EMAIL,
            pattern=r"https?://\S+/requests/consent/[^\s/]+/",
            what="the consent link",
        )
        check(link.startswith(self.base), f"the consent link is not on SITE_URL: {link}")
        self.page.context.close()
        self.page = page = self.new_page()
        page.goto(link)
        page.get_by_role("radio", name="I agree to a facilitated IEP meeting").check()
        page.get_by_label("Your full name").fill("Dana Director")
        page.get_by_role("button", name="Send my answer").click()
        check("Thank you for your answer" in page.content(), f"consent not taken: {self.h1()!r}")

    def staff_approve_and_assign(self):
        self.log_in("olivia")  # the second log-in: POST /accounts/mfa/ with a code
        page = self.page
        page.goto("/requests/inbox/")
        page.get_by_role("link", name=self.reference).first.click()
        check(self.reference in self.h1(), f"not the case page: {self.h1()!r}")
        self.case_path = page.url
        page.get_by_label("Message to both parties (optional)").first.fill("Welcome.")
        page.get_by_role("button", name="Approve").click()
        check(
            "Approved. Both parties are being notified." in page.content(),
            f"approval not confirmed: {self.status_text()!r}",
        )
        # The facilitator joins the roster, linked to her log-in.
        page.goto("/facilitators/new/")
        page.locator("#id_first_name").fill("Fiona")
        page.locator("#id_last_name").fill("Field")
        page.locator("#id_email").fill("fiona.field@prod-check.example.org")
        page.locator("#id_user").select_option(label=self._option(page, "#id_user", "fiona"))
        page.locator("#id_regions").select_option(label="Northwest")
        page.locator("#id_contract_status").select_option("active")
        page.locator("main form [type=submit]").last.click()
        check(self.h1() == "Fiona Field", f"roster entry not saved: {self.h1()!r}")
        page.goto(self.case_path)
        page.get_by_role("link", name="Assign a facilitator").click()
        page.get_by_role("button", name="Assign Fiona Field").click()
        check(
            page.get_by_text(f"{self.reference} is offered to Fiona Field").count() == 1,
            f"assignment not confirmed: {self.status_text()!r}",
        )

    @staticmethod
    def _option(page, select, needle):
        labels = page.locator(f"{select} option").all_inner_texts()
        for label in labels:
            if needle.lower() in label.lower():
                return label
        raise WalkFailed(f"no option with {needle!r} in {select}: {labels}")

    def facilitator_accepts_schedules_records(self):
        self.log_in("fiona")
        page = self.page
        page.goto("/facilitators/my/")
        page.get_by_role("link", name=self.reference).first.click()
        page.get_by_label("I have no conflict with this family or district.").check()
        page.get_by_role("button", name="Accept", exact=True).click()
        check(
            page.get_by_text("You accepted the case.").count() == 1,
            f"accepting failed: {self.status_text()!r}",
        )
        page.get_by_role("link", name=re.compile("Schedule")).first.click()
        check(self.h1() == "Schedule the meeting", f"not the schedule page: {self.h1()!r}")
        # The next whole minute at least 20 s away, in the site's time zone (chosen so that
        # it is still today): the outcome can only be recorded once the meeting has started,
        # so the walk waits for that minute after scheduling.
        now = self._site_now()
        start = (now + datetime.timedelta(seconds=20 + 60)).replace(second=0, microsecond=0)
        end = start + datetime.timedelta(minutes=90)
        check(start.date() == end.date(), "the meeting would run past midnight in the site's zone")
        page.get_by_label(re.compile(r"^Date( \(required\))?$")).fill(start.date().isoformat())
        page.get_by_label("Start time").fill(start.strftime("%H:%M"))
        page.get_by_label("End time").fill(end.strftime("%H:%M"))
        page.get_by_label("Format").select_option("in_person")
        page.get_by_label("Location or link").fill("Prairie Hills district office, Room 4")
        page.get_by_role("button", name="Schedule and send invitations").click()
        check(
            "The meeting is scheduled" in self.status_text(),
            f"scheduling failed: {self.status_text()!r} {page.url}",
        )
        wait = (start - self._site_now()).total_seconds() + 2
        if wait > 0:
            time.sleep(wait)
        page.get_by_role("link", name="Record the outcome").first.click()
        page.get_by_label("Was the meeting held?").select_option("held")
        page.get_by_label("Actual start").fill(start.strftime("%H:%M"))
        page.get_by_label("Actual end").fill(end.strftime("%H:%M"))
        page.get_by_label("Consensus", exact=True).select_option("all")
        page.get_by_label("Was the IEP completed?").select_option("yes")
        page.get_by_label("Attended: Parent or guardian").fill("1")
        page.locator("#id_i-0-description").fill("Speech services")
        page.locator("#id_i-0-resolved").check()
        page.get_by_role("button", name="Record the outcome").click()
        check(
            "The outcome is recorded" in self.status_text(),
            f"outcome not recorded: {self.status_text()!r}",
        )

    def _site_now(self):
        """Now in the site's TIME_ZONE (bin/prod-check passes it)."""
        return datetime.datetime.now(self.zone)

    def participant_answers_survey(self):
        link, _ = self.mail.wait_for_link(
            to=PARENT_EMAIL,
            pattern=r"https?://\S+/evaluations/survey/[^\s/]+/",
            what="the survey link",
        )
        self.page.context.close()
        self.page = page = self.new_page()
        page.goto(link)
        check(self.h1() == "How did the meeting go?", f"survey page: {self.h1()!r}")
        # The invitation knows the participant's role: the survey does not ask it again.
        check(
            page.locator("input[name=respondent_role]").count() == 0,
            "the survey asks the role the invitation already knows",
        )
        page.get_by_label("Very satisfied").first.check()
        page.get_by_role("button", name="Send my answers").click()
        check(self.h1() == "Thank you", f"survey not taken: {self.h1()!r}")

    def administrator_annual_pdf(self):
        self.log_in("adam")
        page = self.page
        page.goto("/reports/")
        page.get_by_role("button", name="Show").click()
        figure = page.locator("#figure-consensus_rate .display-6").inner_text().strip()
        check(figure == "100%", f"dashboard consensus rate {figure!r}, expected 100% (1 of 1)")
        page.get_by_role("button", name="Generate PDF").click()
        run_url = page.url
        deadline = time.monotonic() + PDF_WAIT_SECONDS
        while time.monotonic() < deadline:
            if page.get_by_text("The report is ready.").count():
                break
            check("failed" not in self.status_text().lower(), f"report run: {self.status_text()}")
            page.wait_for_timeout(1000)  # the page refreshes itself every few seconds
        else:
            raise WalkFailed(f"the report at {run_url} was not ready within {PDF_WAIT_SECONDS} s")
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the PDF").click()
        self.downloads.mkdir(parents=True, exist_ok=True)
        pdf_path = self.downloads / "annual-report.pdf"
        info.value.save_as(str(pdf_path))
        data = pdf_path.read_bytes()
        check(data.startswith(b"%PDF-"), "the download is not a PDF")
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        title = (reader.metadata or {}).get("/Title", "")
        check(
            str(title).startswith("Facilitated IEP program report"),
            f"PDF title is {title!r}",
        )
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        check("Facilitated IEP program report" in text, "the PDF has no report heading")
        check(figure in text, f"the PDF does not show the consensus rate {figure}")
        poppler = subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        check(poppler.returncode == 0, f"pdftotext cannot read the PDF: {poppler.stderr}")
        check(figure in poppler.stdout, "pdftotext does not find the consensus rate")
        log = self.worker_log.read_text(errors="replace")
        check(
            re.search(r"Task reports\.report_generate\[[^\]]+\] succeeded", log),
            "the worker log shows no finished reports.report_generate task",
        )
        print(f"      PDF: {len(data)} bytes, {len(reader.pages)} pages, title {title!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--passwords", required=True)
    parser.add_argument("--downloads", required=True)
    parser.add_argument("--worker-log", required=True)
    parser.add_argument("--time-zone", default="UTC")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        walk = Walk(args, browser)
        walk.step("/health/ says ok (a minute's grace while the processes start)", walk.healthy)
        walk.step("TLS at the proxy; static files from the manifest", walk.proxy_and_static)
        walk.step("staff, administrator, facilitator set up two-step log-in", walk.enrol_everyone)
        walk.step("a parent submits a request on the public form", walk.parent_submits)
        walk.step("the district agrees through the e-mailed link", walk.district_consents)
        walk.step(
            "staff log in (two-step code), approve, add to the roster, assign",
            walk.staff_approve_and_assign,
        )
        walk.step(
            "the facilitator logs in, accepts, schedules, records the outcome",
            walk.facilitator_accepts_schedules_records,
        )
        walk.step(
            "a participant answers the survey from the e-mail", walk.participant_answers_survey
        )
        walk.step(
            "the administrator asks for the annual PDF; the worker renders it",
            walk.administrator_annual_pdf,
        )
        browser.close()
    print("  walk: every step passed", flush=True)


if __name__ == "__main__":
    main()
