"""The case tables are written in Python (views.case_table_body): every value is escaped."""

from django.urls import reverse

from okoa.audit.models import AccessRecord


def test_a_name_that_looks_like_markup_is_shown_as_text_on_the_list_and_home(
    client, cast, make_case
):
    case = make_case(given_name="<b>Amani", family_name="Wekesa</b>", assigned_to=cast.caseworker)
    client.force_login(cast.caseworker)

    for url in (reverse("cases:list"), reverse("cases:home")):
        page = client.get(url).content.decode()
        assert "&lt;b&gt;Amani Wekesa&lt;/b&gt;" in page
        assert "<b>Amani" not in page
        assert f'href="{reverse("cases:detail", args=[case.code])}"' in page
        assert f">{case.reference}</a>" in page

    # Each page that showed the name logged the read.
    assert AccessRecord.objects.filter(record_code=case.code, channel="page").count() == 2


def test_without_identities_the_table_has_no_survivor_column(client, cast, make_case):
    make_case(given_name="Amani", family_name="Wekesa")
    client.force_login(cast.analyst)

    page = client.get(reverse("cases:list")).content.decode()

    assert "Amani" not in page
    assert 'data-label="Survivor"' not in page
    assert 'data-label="Reference"' in page
