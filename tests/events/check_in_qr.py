"""Reading back the QR code a confirmation email carries, as a phone's camera would."""

import struct
import zlib
from email.message import EmailMessage

import numpy
import zxingcpp


def inline_image(message: EmailMessage, content_id: str) -> tuple[bytes, str]:
    """The picture the HTML shows as `cid:{content_id}`, and its content type."""
    for part in message.walk():
        if part.get("Content-ID") == f"<{content_id}>":
            return part.get_content(), part.get_content_type()
    raise AssertionError(f"the message has no part with Content-ID <{content_id}>")


def read_qr(png: bytes) -> str:
    barcodes = zxingcpp.read_barcodes(_grey_pixels(png), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(barcodes) == 1, f"found {len(barcodes)} QR codes in the picture"
    return barcodes[0].text


def _grey_pixels(png: bytes) -> numpy.ndarray:
    """A 1-bit greyscale PNG, segno's kind, as 8-bit pixels (no Pillow needed)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG"
    chunks, position = {}, 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        chunks[kind] = chunks.get(kind, b"") + png[position + 8 : position + 8 + length]
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour, interlace) == (1, 0, 0), "expected a 1-bit greyscale PNG"
    stride = (width + 7) // 8
    raw = zlib.decompress(chunks[b"IDAT"])
    rows, previous = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        row = _unfilter(line[0], bytearray(line[1:]), previous)
        rows.append(numpy.unpackbits(numpy.frombuffer(bytes(row), numpy.uint8))[:width])
        previous = row
    return (numpy.array(rows, dtype=numpy.uint8) * 255).astype(numpy.uint8)


def _unfilter(kind: int, row: bytearray, above: bytearray) -> bytearray:
    for i in range(len(row)):
        left = row[i - 1] if i else 0
        up, up_left = above[i], above[i - 1] if i else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 2:
            row[i] = (row[i] + up) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            row[i] = (row[i] + _paeth(left, up, up_left)) & 0xFF
    return row


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)
