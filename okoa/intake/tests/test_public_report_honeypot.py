"""A robot that fills the hidden honeypot field saves nothing; a person gets the form back."""

from okoa.intake.models import RateLimitCounter, Report

from .conftest import public_form


def test_a_filled_honeypot_saves_no_report(client, cast):
    response = client.post("/report/", public_form(website="https://cheap-pills.example"))

    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not RateLimitCounter.objects.exists()


def test_the_form_comes_back_with_the_words_typed_and_the_honeypot_emptied(client, cast):
    response = client.post("/report/", public_form(website="https://cheap-pills.example"))

    text = response.content.decode()
    assert "Please check your report and send it again." in text
    assert "locked in her employer" in text
    assert "cheap-pills" not in text


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, db):
    text = client.get("/report/").content.decode()

    hidden_block = text[text.index("<div hidden>") :]
    assert 'name="website"' in hidden_block[: hidden_block.index("</div>")]
