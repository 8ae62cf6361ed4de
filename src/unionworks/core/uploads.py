"""Where an uploaded spreadsheet waits for the background task that reads it."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


def store_upload(upload, *, stem: str) -> Path:
    """Save ``upload`` under MEDIA_ROOT/uploads/<random>/<stem><suffix> (never its own name:
    a user's file name is not a path we trust)."""
    folder = Path(settings.MEDIA_ROOT) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (stem + Path(upload.name).suffix.lower())
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path
