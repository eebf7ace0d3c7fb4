"""The questionnaire pages save each answer in the background (questionnaire-autosave.js).
A test that sends the form waits for the last of those saves first, as the page's
« Réponses enregistrées. » tells a person: the test server shares one in-memory SQLite
connection between its threads, so a save and the sending at once break each other
(« cannot open savepoint », seen once in CI). On a real server they do not share one.
"""


def background_save(page, item: str = "", value: str = ""):
    """Waits for the background save (a multipart post) that carries `item` = `value`,
    or for the next one when no item is named."""
    part = f'name="{item}"\r\n\r\n{value}\r\n'
    return page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and r.request.headers.get("x-autosave") == "1"
            and (not item or part in (r.request.post_data or ""))
        )
    )
