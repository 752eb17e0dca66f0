from django.urls import path

from .views import feedback, public, staff

app_name = "evaluations"

urlpatterns = [
    # Public: personal links (no login).
    path("survey/<token:token>/", public.survey, name="survey"),
    path("thanks/", public.thanks, name="thanks"),
    path("self/<token:token>/", public.self_evaluation, name="self-evaluation"),
    path("self-thanks/", public.self_thanks, name="self-thanks"),
    path("follow-up/<token:token>/", public.follow_up, name="follow-up"),
    # Staff.
    path("", staff.tracking, name="tracking"),
    path("meetings/<int:pk>/", staff.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/invite/", staff.invitations_send, name="invite"),
    path("meetings/<int:pk>/participants/", staff.participant_add, name="participant-add"),
    path("meetings/<int:pk>/responses/", staff.meeting_responses, name="responses"),
    path("meetings/<int:pk>/paper/", staff.paper_entry, name="paper-entry"),
    path("meetings/<int:pk>/paper-form.pdf", staff.paper_form_pdf, name="paper-form"),
    path("invitations/<int:pk>/resend/", staff.invitation_resend, name="resend"),
    # Feedback.
    path("feedback/", feedback.my_feedback, name="my-feedback"),
    path("feedback/<int:pk>/", feedback.facilitator_feedback, name="facilitator-feedback"),
]
