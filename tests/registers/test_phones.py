"""Phone normalisation and validation (the API the importer and the admin share)."""

import pytest

from portal.snippets.phones import normalise_phone, phone_problem


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0376－6123456", "0376-6123456"),  # full-width dash
        ("0376—61234567", "0376-61234567"),  # em dash
        ("（0376）61234567", "0376-61234567"),  # full-width parentheses
        ("037661234567", "0376-61234567"),  # no separator: split by area-code rule
        ("01061234567", "010-61234567"),  # 3-digit area code
        ("0376 6123 4567", "0376-61234567"),
        ("0376-61234567转801", "0376-61234567-801"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_normalise_phone(raw, canonical):
    assert normalise_phone(raw) == canonical
    if canonical:
        assert phone_problem(raw) is None
        assert normalise_phone(canonical) == canonical  # idempotent


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12812345678", "号段"),
        ("1381234567", "应为11位"),
        ("138123456789", "应为11位"),
        ("0376-123", "区号加7–8位号码"),
        ("0376-0123456", "区号加7–8位号码"),
        ("abc", "数字以外"),
        ("6123456", "须带区号"),
    ],
)
def test_phone_problem_names_what_is_wrong(raw, fragment):
    problem = phone_problem(raw)
    assert problem is not None and fragment in problem
    assert raw in problem  # the message quotes what was typed


def test_empty_phone_is_not_a_problem():
    assert phone_problem("") is None
