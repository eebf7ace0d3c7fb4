"""A PDF read back as a reader would: its text, extracted by poppler's pdftotext."""

import subprocess


def pdf_text(content: bytes) -> str:
    """The text of the PDF, laid out as on the page."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def flat_pdf_text(content: bytes) -> str:
    """The text of the PDF on one line, runs of spaces and line breaks made one space
    (a sentence the layout wrapped is found whole)."""
    return " ".join(pdf_text(content).split())
