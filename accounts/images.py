"""Uploaded images: checked, re-encoded and stripped before they are stored.

Only JPEG, PNG and WebP are accepted, within a byte and a pixel limit;
decompression bombs are refused before their pixels are decoded. The pixels
are copied into a fresh image, so no EXIF (GPS, camera, owner), ICC or text
chunk of the upload survives; the EXIF orientation is applied first so
that photos stay upright.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def clean_image(upload, *, max_bytes=MAX_UPLOAD_BYTES, max_pixels=MAX_PIXELS):
    """Return a ContentFile holding a clean re-encoding of `upload`, or raise ValidationError."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is too large: the limit is %(limit)s MB.")
            % {"limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="wrong_format")
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(max_pixels)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from error
    suffix = FORMATS[image.format]
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    mode = "RGBA" if has_alpha and suffix != ".jpg" else "RGB"
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    clean.save(output, format=image.format, **({"quality": 88} if suffix != ".png" else {}))
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}{suffix}")


def _too_many_pixels(max_pixels):
    return ValidationError(
        _("This image has too many pixels (over %(limit)s million). Upload a smaller photo.")
        % {"limit": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def content_type_for(name):
    for suffix, content_type in CONTENT_TYPES.items():
        if name.lower().endswith(suffix):
            return content_type
    return "application/octet-stream"
