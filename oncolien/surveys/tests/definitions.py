"""A small valid definition the tests of the builder's parts start from."""

import copy


def small() -> dict:
    return copy.deepcopy(
        {
            "title": "Enquête test",
            "introduction": "",
            "sections": [
                {
                    "code": "connaissance",
                    "title": "Connaissance",
                    "show_if": None,
                    "questions": [
                        {
                            "code": "connait",
                            "kind": "yes_no",
                            "label": "Connaissez-vous les SOS ?",
                            "required": True,
                            "show_if": None,
                        },
                        {
                            "code": "temps",
                            "kind": "multiple",
                            "label": "À quels temps ?",
                            "required": False,
                            "choices": [
                                {"code": "diagnostic", "label": "Diagnostic"},
                                {"code": "traitement", "label": "Traitement"},
                            ],
                            "other": True,
                            "show_if": {"question": "connait", "in": ["oui"]},
                        },
                    ],
                },
                {
                    "code": "suite",
                    "title": "Suite",
                    "show_if": {"question": "temps", "in": ["autre"]},
                    "questions": [
                        {
                            "code": "note",
                            "kind": "scale",
                            "label": "Votre note",
                            "required": False,
                            "scale": {"min": 0, "max": 10, "min_label": "", "max_label": ""},
                            "show_if": None,
                        },
                        {
                            "code": "effectif",
                            "kind": "number",
                            "label": "Combien ?",
                            "required": False,
                            "number": {"min": 0, "max": None, "unit": "personnes"},
                            "show_if": None,
                        },
                        {
                            "code": "grille",
                            "kind": "grid",
                            "label": "Votre avis",
                            "required": False,
                            "choices": [
                                {"code": "oui", "label": "Oui"},
                                {"code": "non", "label": "Non"},
                            ],
                            "items": [{"code": "a", "label": "A"}],
                            "show_if": None,
                        },
                        {
                            "code": "libre",
                            "kind": "text",
                            "label": "Commentaires",
                            "required": False,
                            "show_if": None,
                        },
                    ],
                },
            ],
        }
    )
