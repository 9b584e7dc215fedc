"""Public routes of the care app: aggregate figures only."""

from django.urls import path

from . import public_views

app_name = "care"

urlpatterns = [path("care/figures/", public_views.care_figures, name="figures")]
