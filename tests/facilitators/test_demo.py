"""The demo seed: a roster across regions and assignments in every state."""

import io

from facilitators import demo
from facilitators.models import Assignment, AssignmentStatus, Facilitator, Objection
from facilitators.selectors import facilitator_cases, trainings_overdue
from fiep import demo as core_demo
from fiep.models import User


def test_demo_seed_covers_every_state(db):
    out = io.StringIO()
    core_demo.seed(out)
    demo.seed(out)
    assert Facilitator.objects.count() == 15
    regions = set(Facilitator.objects.values_list("regions__name", flat=True))
    assert {"Northwest", "Northeast", "Central", "Southwest", "Southeast"} <= regions
    assert Facilitator.objects.filter(languages__name="Spanish").count() >= 5
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert statuses == set(AssignmentStatus.values)
    assert Objection.objects.count() == 1
    assert trainings_overdue().count() == 1
    fiona = User.objects.get(username="facilitator")
    mine = {c.my_assignment_status for c in facilitator_cases(fiona)}
    assert mine == {"offered", "accepted"}
    count = Assignment.objects.count()
    demo.seed(out)  # a second run changes nothing
    assert Assignment.objects.count() == count
