"""manage.py create_staff_user: how an installation gets its first administrator."""

import pytest
from django.core.management import CommandError, call_command

from fiep.models import Role, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase-2026"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return path


def test_create_staff_user_administrator_can_log_in(password_file):
    call_command(
        "create_staff_user",
        "alice",
        "--role=administrator",
        "--email=alice@example.org",
        f"--password-file={password_file}",
    )
    alice = User.objects.get(username="alice")
    assert list(alice.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR.value]
    assert (alice.is_staff, alice.is_superuser) == (True, True)
    assert alice.check_password(PASSWORD)
    assert not alice.check_password(PASSWORD[:-1])


def test_create_staff_user_facilitator_is_not_a_superuser(password_file):
    call_command(
        "create_staff_user",
        "fiona",
        "--role=facilitator",
        "--email=fiona@example.org",
        f"--password-file={password_file}",
    )
    fiona = User.objects.get(username="fiona")
    assert (fiona.is_staff, fiona.is_superuser) == (False, False)
    assert fiona.groups.get().name == Role.FACILITATOR.value


def test_create_staff_user_refuses_a_short_password_and_creates_nothing(tmp_path):
    short = tmp_path / "short"
    short.write_text("seven77\n")  # one below the 8 characters allowed with two-step log-in
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "create_staff_user",
            "bob",
            "--role=office-staff",
            "--email=bob@example.org",
            f"--password-file={short}",
        )
    assert not User.objects.filter(username="bob").exists()


def test_create_staff_user_refuses_an_existing_username(password_file):
    factories.UserFactory(username="carol", role=Role.OFFICE_STAFF)
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_staff_user",
            "carol",
            "--role=administrator",
            "--email=carol@example.org",
            f"--password-file={password_file}",
        )
    assert not User.objects.get(username="carol").is_superuser


def test_create_staff_user_liaison_needs_a_known_district(password_file):
    district = factories.DistrictFactory(code="010-001")
    with pytest.raises(CommandError, match="district"):
        call_command(
            "create_staff_user",
            "liam",
            "--role=district-liaison",
            "--email=liam@example.org",
            "--district=010-009",
            f"--password-file={password_file}",
        )
    call_command(
        "create_staff_user",
        "liam",
        "--role=district-liaison",
        "--email=liam@example.org",
        "--district=010-001",
        f"--password-file={password_file}",
    )
    assert User.objects.get(username="liam").district == district
