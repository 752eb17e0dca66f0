"""A facilitator's aggregated feedback: their own (facilitators) or anyone's (staff).

Only counts per answer, never a response or a comment, and nothing at all below the
suppression threshold. A facilitator has no URL naming another facilitator: the page
takes them from their own login.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from facilitators.models import Facilitator

from .. import selectors
from ..forms import RECOMMEND_CHOICES
from ..models import Agreement, ConcernsRaised, Relationship, Satisfaction

ITEMS = [
    ("satisfaction", _("Satisfaction with the outcome"), Satisfaction.choices),
    ("concerns_raised", _("Able to raise concerns"), ConcernsRaised.choices),
    ("facilitator_listened", _("The facilitator listened to everyone"), Agreement.choices),
    ("facilitator_neutral", _("The facilitator stayed neutral"), Agreement.choices),
    ("facilitator_focused", _("The facilitator kept the meeting focused"), Agreement.choices),
    ("relationship", _("Effect on the family–school relationship"), Relationship.choices),
    ("would_recommend", _("Would recommend facilitation"), RECOMMEND_CHOICES),
]


def feedback_rows(counts):
    """``[(item label, answered, [(answer label, count, percent)])]`` from the counts."""
    rows = []
    for item, label, choices in ITEMS:
        answered = counts[f"{item}__answered"]
        answers = [
            (
                choice_label,
                counts[f"{item}__{value}"],
                round(100 * counts[f"{item}__{value}"] / answered) if answered else None,
            )
            for value, choice_label in choices
        ]
        rows.append((label, answered, answers))
    return rows


def _render_feedback(request, facilitator, *, own):
    # Only fixed periods (school years and halves), never dates from the address: totals
    # over arbitrary periods could be differenced down to one participant's answers.
    feedback = selectors.facilitator_feedback(
        facilitator=facilitator, period=request.GET.get("period")
    )
    rows = [] if feedback["suppressed"] else feedback_rows(feedback["counts"])
    return render(
        request,
        "evaluations/feedback.html",
        {"facilitator": facilitator, "own": own, "feedback": feedback, "rows": rows},
    )


@never_cache
@require_GET
@login_required
@permission_required("evaluations.view_own_feedback", raise_exception=True)
def my_feedback(request):
    return _render_feedback(request, request.user.facilitator, own=True)


@never_cache
@require_GET
@login_required
@permission_required("evaluations.view_facilitator_feedback", raise_exception=True)
def facilitator_feedback(request, pk):
    # nosemgrep: unscoped-object-lookup-in-view  (program staff see every facilitator's feedback)
    facilitator = get_object_or_404(Facilitator, pk=pk)
    return _render_feedback(request, facilitator, own=False)
