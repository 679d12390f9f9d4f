"""The header's language form switches the interface to Kiswahili, without JavaScript."""


def test_language_switch_sets_kiswahili(client, cast):
    client.force_login(cast.caseworker)
    assert '<html lang="en"' in client.get("/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "sw"}, HTTP_REFERER="/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert '<html lang="sw"' in client.get("/").content.decode()
    assert '<html lang="sw"' in client.get("/cases/new/").content.decode()


def test_the_header_offers_the_other_language_as_a_post_form(client, cast):
    client.force_login(cast.caseworker)

    html = client.get("/").content.decode()

    assert '<form method="post" action="/i18n/setlang/"' in html
    assert 'name="language" value="sw"' in html
