from django.urls import path

from .views import assignment, portal, roster

app_name = "facilitators"

urlpatterns = [
    path("", roster.roster_list, name="roster"),
    path("roster.csv", roster.roster_export, name="roster-export"),
    path("new/", roster.facilitator_edit, name="new"),
    path("<int:pk>/", roster.facilitator_detail, name="detail"),
    path("<int:pk>/edit/", roster.facilitator_edit, name="edit"),
    path("<int:pk>/trainings/add/", roster.training_add, name="training-add"),
    path("<int:pk>/unavailability/add/", roster.unavailability_add, name="unavailability-add"),
    path(
        "<int:pk>/unavailability/<int:item_pk>/delete/",
        roster.unavailability_delete,
        name="unavailability-delete",
    ),
    path("<int:pk>/conflicts/add/", roster.conflict_add, name="conflict-add"),
    path(
        "<int:pk>/conflicts/<int:item_pk>/delete/", roster.conflict_delete, name="conflict-delete"
    ),
    path("requests/<int:request_pk>/suggestions/", assignment.suggestions, name="suggestions"),
    path("requests/<int:request_pk>/assign/", assignment.assign, name="assign"),
    path("requests/<int:request_pk>/objection/", assignment.objection, name="objection"),
    path("my/", portal.my_cases, name="my-cases"),
    path("my/cases/<int:pk>/", portal.my_case, name="my-case"),
    path("my/cases/<int:pk>/accept/", portal.my_case_accept, name="my-case-accept"),
    path("my/cases/<int:pk>/decline/", portal.my_case_decline, name="my-case-decline"),
    path("my/profile/", portal.my_profile, name="my-profile"),
    path(
        "my/profile/unavailability/add/",
        portal.my_unavailability_add,
        name="my-unavailability-add",
    ),
    path(
        "my/profile/unavailability/<int:item_pk>/delete/",
        portal.my_unavailability_delete,
        name="my-unavailability-delete",
    ),
]
