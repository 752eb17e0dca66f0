"""Core demo data: fictional regions, districts, and one user per role.

Every name here is invented. The password is printed in README.md.
"""

import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import District, Region, Role, User
from .roles import ensure_role_groups

DEMO_PASSWORD = "fiep-demo-password-2026"  # noqa: S105  (documented demo credential)

# Hex TOTP keys of the demo users (base32 in README.md); fictional, development only.
DEMO_TOTP_KEYS = {
    "staff": "3132333435363738393031323334353637383930",
    "admin": "4142434445464748494a4b4c4d4e4f5051525354",
    "facilitator": "6162636465666768696a6b6c6d6e6f7071727374",
}

REGIONS = {
    "Northwest": [
        ("010-001", "Prairie Hills R-I"),
        ("010-002", "Cedar Bluff R-II"),
        ("010-003", "Mill Creek C-3"),
    ],
    "Northeast": [
        ("020-001", "Riverbend R-IV"),
        ("020-002", "Oak Hollow R-V"),
        ("020-003", "Lakeside C-1"),
    ],
    "Central": [
        ("030-001", "Capitol Valley R-III"),
        ("030-002", "Stonebridge R-VI"),
        ("030-003", "Maple Grove C-2"),
    ],
    "Southwest": [
        ("040-001", "Ozark Springs R-VII"),
        ("040-002", "Walnut Ridge R-VIII"),
        ("040-003", "Pine Meadow C-4"),
    ],
    "Southeast": [
        ("050-001", "Delta Plains R-IX"),
        ("050-002", "Bootheel Junction R-X"),
        ("050-003", "Cypress Bend C-5"),
    ],
}

DEMO_USERS = [
    ("staff", "Olivia", "Office", Role.OFFICE_STAFF),
    ("admin", "Adam", "Administrator", Role.ADMINISTRATOR),
    ("facilitator", "Fiona", "Facilitator", Role.FACILITATOR),
    ("liaison", "Liam", "Liaison", Role.DISTRICT_LIAISON),
]


def seed(stdout):
    groups = ensure_role_groups()
    for region_name, districts in REGIONS.items():
        region, _ = Region.objects.get_or_create(name=region_name)
        for code, name in districts:
            District.objects.get_or_create(code=code, defaults={"name": name, "region": region})
    first_district = District.objects.get(code="010-001")
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "confidentiality_training_on": datetime.date(2026, 8, 15),
                "district": first_district if role == Role.DISTRICT_LIAISON else None,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[role])
        if role != Role.DISTRICT_LIAISON:
            # A known authenticator key so the demo can be tried: manage.py demo_otp USER
            TOTPDevice.objects.get_or_create(
                user=user,
                name="demo authenticator",
                defaults={"confirmed": True, "key": DEMO_TOTP_KEYS[username]},
            )
    stdout.write(
        f"Core: {Region.objects.count()} regions, {District.objects.count()} districts, "
        f"{len(DEMO_USERS)} demo users (password: {DEMO_PASSWORD})."
    )
