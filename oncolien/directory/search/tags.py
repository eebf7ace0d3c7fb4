"""The filter tags of a search document: one word per care type, profession, label,
CPTS, cost, audience and phase of the service.

Filters are answered by the same full-text index as the words (in a column of
their own), the way search engines keep facets in their inverted index: both
databases then intersect a few short lists of ids instead of joining tables,
which is what keeps a search at 100,000 services within a few milliseconds.
Tags are made of letters and digits only, so that both engines read each one
as a single token.
"""

from oncolien.reference.models import Phase


def care_type(pk: int) -> str:
    return f"ct{pk}"


def profession(pk: int) -> str:
    return f"pr{pk}"


def label(pk: int) -> str:
    return f"lb{pk}"


def cpts(pk: int) -> str:
    return f"cp{pk}"


# Free for the patient: free, or funded by an association.
FREE = "free"
AUDIENCE = {"patients": "forpatients", "relatives": "forrelatives"}
# Keyed by the phase code (a Phase is a str).
PHASE: dict[str, str] = {
    Phase.DIAGNOSIS: "phasediagnosis",
    Phase.TREATMENT: "phasetreatment",
    Phase.AFTER_TREATMENT: "phaseaftertreatment",
}
