from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings

from reports.history.formats import Problem

PO = Path(settings.BASE_DIR) / "reports" / "history" / "locale" / "es" / "LC_MESSAGES" / "django.po"
# reports/history/locale is not an app's locale folder, so the project must list it in
# LOCALE_PATHS (the change is requested from the lead); these tests add it themselves.
LOCALE_PATHS = [*settings.LOCALE_PATHS, PO.parents[2]]


def test_history_spanish_catalog_complete():
    po = polib.pofile(str(PO))

    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po.translated_entries():
        for placeholder in ("%(year)s", "%(value)r", "%(count)s", "%(reference)s", "%(name)s"):
            assert entry.msgid.count(placeholder) <= (entry.msgstr or entry.msgstr_plural[0]).count(
                placeholder
            ), entry.msgid


@pytest.mark.django_db
@override_settings(LOCALE_PATHS=LOCALE_PATHS)
def test_history_upload_page_in_spanish(staff_client):
    response = staff_client.get("/reports/history/import/", HTTP_ACCEPT_LANGUAGE="es")

    assert "Importar el historial del programa" in response.content.decode()


@override_settings(LOCALE_PATHS=LOCALE_PATHS)
def test_history_problem_message_in_spanish():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        message = gettext("required column is missing")

    assert str(Problem("districts.csv", 1, "code", message)) == (
        "districts.csv:1: column code: falta una columna obligatoria"
    )
