"""A QR code read back from a PDF page, as a phone would: the page rendered to an
image by poppler's pdftoppm, decoded by zxing-cpp."""

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image


def qr_texts(pdf: bytes, *, dpi: int = 150) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            capture_output=True,
            check=True,
        )
        image = Image.open(Path(folder) / "page.png")
        image.load()
    return [
        found.text
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]
