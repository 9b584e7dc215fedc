"""Serving case photos: the only way a stored photo leaves the server."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .models import CasePhoto
from .photos import photo_visible_to


@require_GET
def case_photo(request, pk):
    """The photo's JPEG, or 404 for anyone who may not see it (no existence oracle)."""
    photo = CasePhoto.objects.select_related("case").filter(pk=pk).first()
    if photo is None or not photo_visible_to(photo, request.user):
        raise Http404("照片不存在")
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404("照片不存在") from None
    response = FileResponse(handle, content_type="image/jpeg")
    public = photo.is_public and photo.case.is_public
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
