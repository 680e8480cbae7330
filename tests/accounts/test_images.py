import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts.images import clean_image
from tests.conftest import image_file

GPS_IFD = 0x8825


def gps_tagged_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (23.0, 7.0, 30.0), 3: "E", 4: (113.0, 15.0, 40.0)}
    upload = image_file("holiday.jpg", exif=exif)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)
    upload.seek(0)
    return upload


def test_gps_tagged_jpeg_comes_back_without_location_data():
    cleaned = clean_image(gps_tagged_jpeg())

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info


def test_cleaned_files_get_unguessable_names():
    first, second = clean_image(image_file("me.png", fmt="PNG")), clean_image(image_file())

    assert first.name.endswith(".png") and len(first.name) == 36
    assert first.name != second.name


def test_webp_is_accepted():
    assert clean_image(image_file("a.webp", fmt="WEBP")).name.endswith(".webp")


def png_claiming(width, height):
    """A tiny PNG whose header (with a correct checksum) claims a huge size."""
    data = bytearray(image_file("bomb.png", fmt="PNG", size=(8, 8)).read())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return SimpleUploadedFile("bomb.png", bytes(data), "image/png")


@pytest.mark.parametrize("side", [6_000, 20_000])
def test_decompression_bomb_is_refused_with_a_clear_message(side):
    bomb = png_claiming(side, side)

    with pytest.raises(ValidationError, match="too many pixels"):
        clean_image(bomb)


def test_non_image_renamed_jpg_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not really a photo", "image/jpeg")

    with pytest.raises(ValidationError, match="not an image"):
        clean_image(fake)


def test_gif_is_refused():
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        clean_image(image_file("a.gif", fmt="GIF"))


def test_oversize_file_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="too large"):
        clean_image(image_file(), max_bytes=100)


def test_refusals_are_explained_in_chinese_on_chinese_pages():
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="文件过大"):
        clean_image(image_file(), max_bytes=100)
