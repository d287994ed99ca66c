"""Product image files on disk (IMAGES_DIR), named by us, never by the uploader."""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from pathlib import Path

log = logging.getLogger("pedidos.stock.images")


class ImageFiles:
    """The folder that holds product images; the database keeps only their names."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, content: bytes, extension: str) -> str:
        """Write `content` under a new random name and return that name."""
        name = f"{uuid.uuid4().hex}{extension}"
        # Write to a temporary file and rename: a reader never sees half an image.
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(tmp, self.root / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return name

    def path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if path.parent != self.root:  # names come from our database, but never leave the folder
            raise ValueError(f"image name outside the images folder: {name!r}")
        return path

    def remove(self, name: str) -> None:
        """Delete a file; a missing one is fine (the row is what counts)."""
        try:
            self.path(name).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove image file", extra={"file_name": name}, exc_info=True)
