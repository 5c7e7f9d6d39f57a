"""Supine's URLs plus one API address that fails, to see what a server error looks like."""

from django.urls import path

from supine.urls import urlpatterns as supine_urlpatterns


def fails(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [path("api/v1/fault", fails), *supine_urlpatterns]
