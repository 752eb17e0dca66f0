from django.urls import path

from .views import calendar, claims, dates, meeting, past, public

app_name = "meetings"

urlpatterns = [
    path("", calendar.calendar, name="calendar"),
    path("mine/", calendar.mine, name="mine"),
    path("feed/reset/", calendar.feed_reset, name="feed-reset"),
    path("feed/<token:token>.ics", calendar.feed, name="feed"),
    path("case/<int:request_id>/schedule/", meeting.schedule, name="schedule"),
    path("case/<int:request_id>/record-past/", past.record_past, name="record-past"),
    path("case/<int:request_id>/dates/", dates.find_date, name="find-date"),
    path(
        "dates/<int:pk>/schedule/<int:option_id>/",
        dates.schedule_option,
        name="date-poll-schedule",
    ),
    path("dates/answer/<token:token>/", public.answer, name="date-poll-answer"),
    path("<int:pk>/", meeting.detail, name="detail"),
    path("<int:pk>/reschedule/", meeting.reschedule, name="reschedule"),
    path("<int:pk>/cancel/", meeting.cancel, name="cancel"),
    path("<int:pk>/outcome/", meeting.outcome, name="outcome"),
    path("<int:pk>/time/", meeting.time_log, name="time"),
    path("<int:pk>/time/<int:entry_id>/delete/", meeting.time_delete, name="time-delete"),
    path("claims/", claims.claims, name="claims"),
    path("claims/<int:pk>/", claims.claim, name="claim"),
    path("claims/approved.csv", claims.claims_csv, name="claims-csv"),
]
