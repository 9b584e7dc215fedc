"""Routes of the grid worker's phone workspace, all under /field/."""

from django.urls import path

from . import auth_views, care_views, views

app_name = "field"

urlpatterns = [
    path("field/", views.home, name="home"),
    path("field/login/", auth_views.FieldLoginView.as_view(), name="login"),
    path("field/logout/", auth_views.FieldLogoutView.as_view(), name="logout"),
    path("field/cases/", views.case_list, name="cases"),
    path("field/cases/<int:pk>/", views.case_detail, name="case"),
    path("field/cases/<int:pk>/act/<str:action>/", views.case_action, name="case_action"),
    path("field/report/", views.report, name="report"),
    path("field/visits/", care_views.visits, name="visits"),
    path("field/visits/<int:pk>/", care_views.visit_form, name="visit"),
    path("field/rounds/", care_views.rounds, name="rounds"),
    path("field/rounds/start/<int:grid_pk>/", care_views.round_start, name="round_start"),
    path("field/rounds/<int:pk>/finish/", care_views.round_finish, name="round_finish"),
    path("field/sync/token/", views.sync_token, name="sync_token"),
    path("field/offline/", views.offline, name="offline"),
    path("field/sw.js", views.service_worker, name="service_worker"),
]
