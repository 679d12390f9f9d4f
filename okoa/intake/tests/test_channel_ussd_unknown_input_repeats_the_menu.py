"""A wrong key on a USSD screen shows the same screen again under "Invalid choice", and the
session goes on from there."""

from okoa.intake.models import Report

from .channels import post_ussd, screen


def test_an_unknown_choice_repeats_the_menu_with_a_short_line(client, gateway, routed):
    menu = screen(post_ussd(client, "1"))
    again = screen(post_ussd(client, "1*7"))

    assert again == menu.replace("CON ", "CON Invalid choice.\n", 1)


def test_an_unknown_language_repeats_the_first_screen_in_both_languages(client, gateway, routed):
    again = screen(post_ussd(client, "5"))

    assert again.startswith("CON Invalid choice / Chaguo si sahihi\nOkoa\n1 English")


def test_a_number_of_people_that_is_not_a_number_is_asked_again(client, gateway, routed):
    again = screen(post_ussd(client, "2*1*1*1*many"))

    assert again.startswith("CON Chaguo si sahihi.\n")
    assert "Watu wangapi" in again


def test_after_a_wrong_key_the_next_right_one_goes_on(client, gateway, routed):
    last = screen(post_ussd(client, "1*9*1*x*1*0*1*2*1"))

    assert last.startswith("END Report received.")
    report = Report.objects.get()
    assert report.location_country is not None and report.location_country.code == "SA"
    assert report.estimated_people == 2


def test_empty_input_repeats_the_screen(client, gateway, routed):
    again = screen(post_ussd(client, "1*"))

    assert again.startswith("CON Invalid choice.\nOkoa\n")
