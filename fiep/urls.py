from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    access_views,
    branding_views,
    letters_views,
    mfa_views,
    outbox_views,
    views,
    wording_views,
)
from .forms import LoginForm
from .sso import views as sso_views
from .sso.forms import PasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq, name="faq"),
    path("staff/", views.staff_home, name="staff-home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/branding/", branding_views.branding_settings, name="branding-settings"),
    path("branding.css", branding_views.branding_css, name="branding-css"),
    path("branding/logo.png", branding_views.branding_logo, name="branding-logo"),
    path("staff/outbox/undelivered/", outbox_views.undelivered, name="outbox-undelivered"),
    path("staff/letters/", letters_views.print_queue, name="letters"),
    path("staff/letters/batch/<int:pk>/", letters_views.batch_detail, name="letters-batch"),
    path("staff/letters/batch/<int:pk>/letters.pdf", letters_views.batch_pdf, name="letters-pdf"),
    path("staff/letters/batch/<int:pk>/mailed/", letters_views.batch_mailed, name="letters-mailed"),
    path("staff/letters/<int:pk>/letter.pdf", letters_views.letter_pdf, name="letter-pdf"),
    path("go/<str:code>/", letters_views.short_link, name="short-link"),
    path("staff/access-log/", access_views.access_log_search, name="access-log"),
    path("staff/access-log/print/", access_views.access_record_print, name="access-record-print"),
    path("staff/people-with-access/", access_views.people_with_access, name="people-with-access"),
    path("staff/wording/", wording_views.wording_list, name="wording-list"),
    path(
        "staff/wording/<slug:event>/<slug:channel>/<slug:language>/",
        wording_views.wording_edit,
        name="wording-edit",
    ),
    path(
        "staff/wording/<slug:event>/<slug:channel>/<slug:language>/reset/",
        wording_views.wording_reset,
        name="wording-reset",
    ),
    path(
        "staff/wording/<slug:event>/<slug:channel>/<slug:language>/history/",
        wording_views.wording_history,
        name="wording-history",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        sso_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/sso/start/", sso_views.SignInStartView.as_view(), name="sso-start"),
    path("accounts/sso/callback/", sso_views.SignInCallbackView.as_view(), name="sso-callback"),
    path("accounts/mfa/", mfa_views.mfa_verify, name="mfa-verify"),
    path("accounts/mfa/setup/", mfa_views.mfa_setup, name="mfa-setup"),
    path("accounts/mfa/enrol/<token:token>/", mfa_views.mfa_enrol, name="mfa-enrol"),
    path(
        "accounts/mfa/recovery-codes/",
        mfa_views.mfa_recovery_codes_new,
        name="mfa-recovery-codes",
    ),
    path("accounts/logout/", sso_views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("requests/", include("fiep_requests.urls")),
    path("facilitators/", include("facilitators.urls")),
    path("meetings/", include("meetings.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "fiep.views.error_403"
handler404 = "fiep.views.error_404"
handler500 = "fiep.views.error_500"
