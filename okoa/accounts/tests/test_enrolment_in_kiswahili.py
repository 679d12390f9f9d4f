"""The enrolment and code pages follow the language switch."""


def test_the_enrolment_page_renders_in_kiswahili_after_switching(client, cast, two_factor_required):
    client.force_login(cast.caseworker)

    client.post("/i18n/setlang/", {"language": "sw"}, HTTP_REFERER="/accounts/two-factor/")
    response = client.get("/accounts/two-factor/")

    assert response.status_code == 200
    assert '<html lang="sw"' in response.content.decode()


def test_the_code_page_renders_in_kiswahili(client, cast, enrol, sign_in_with_password):
    enrol(cast.caseworker)
    client.post("/i18n/setlang/", {"language": "sw"}, HTTP_REFERER="/accounts/login/")
    sign_in_with_password(client, cast.caseworker.email)

    response = client.get("/accounts/login/code/")

    assert '<html lang="sw"' in response.content.decode()
