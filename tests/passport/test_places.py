"""Residence lookup, offline: ZIP codes and towns with namesakes."""

from __future__ import annotations

from constellation.passport import places


def test_zip_code_finds_its_town():
    found = places.look_up("02139-4307")

    assert (found.place.label, round(found.place.latitude, 2)) == ("02139 Cambridge, MA", 42.36)


def test_unknown_zip_code_says_so():
    assert places.look_up("00000").message == "We do not know the ZIP code 00000."


def test_ambiguous_town_offers_choices():
    found = places.look_up("Springfield")

    assert found.place is None
    assert "Springfield, MA, United States" in [c.label for c in found.choices]
    assert found.message == "Several places are called “Springfield”: choose one."


def test_state_or_country_narrows_down_a_town():
    assert places.look_up("Springfield, Massachusetts").place.label == "Springfield, MA, United States"
    assert places.look_up("Paris, TX").place.label == "Paris, TX, United States"
    assert places.look_up("Lyon, France").place.label == "Lyon, France"


def test_a_much_bigger_namesake_wins_and_others_are_offered():
    found = places.look_up("Paris")

    assert found.place.label == "Paris, France"
    assert "Paris, TX, United States" in [c.label for c in found.choices]


def test_other_languages_find_the_same_town():
    assert places.look_up("Cologne").place.label == places.look_up("Köln").place.label == "Köln, Germany"


def test_unknown_town_says_so():
    assert places.look_up("Qwertyville").message.startswith("We found no town called “Qwertyville”.")


def test_unknown_qualifier_says_so():
    assert places.look_up("Paris, Narnia").message == "We do not know the country or state “Narnia”."
