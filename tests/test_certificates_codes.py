"""Verification codes: random enough, typeable, and a typo never reaches the database."""

from __future__ import annotations

import itertools

import pytest

from app.certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    CodeProblem,
    InvalidCode,
    check_character,
    format_code,
    is_valid_code,
    new_code,
    normalise_code,
)


def test_a_code_has_at_least_128_random_bits_and_no_ambiguous_letters():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert (CODE_LENGTH - 1) * 5 >= 128  # 27 random base32 characters = 135 bits
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert not set(code) & set("ILOU")
        assert set(code) <= set(ALPHABET)
        assert is_valid_code(code)


def test_codes_are_shown_in_groups_of_four():
    code = new_code()
    shown = format_code(code)
    assert shown.count("-") == 6
    assert all(len(group) == 4 for group in shown.split("-"))
    assert shown.replace("-", "") == code


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: format_code(c).lower(),
        lambda c: " ".join(format_code(c).split("-")),
        lambda c: f"  {c[:10]} - {c[10:]}  ",
        lambda c: f"https://cunghocso.example/verify/{format_code(c)}",
        lambda c: f"https://cunghocso.example/verify/{c}.json",
    ],
    ids=["lowercase", "spaces", "stray-spaces-and-dash", "pasted-address", "json-address"],
)
def test_case_dashes_spaces_and_a_pasted_address_do_not_matter(typed):
    code = new_code()
    assert normalise_code(typed(code)) == code


def test_letters_people_confuse_are_read_as_the_digits():
    code = new_code()
    data = "0" + code[1:-1]
    code = data + check_character(data)
    assert normalise_code("O" + code[1:].lower()) == code  # O typed for zero


def test_every_single_typo_and_every_swap_is_caught():
    for _ in range(20):
        code = new_code()
        for position, char in itertools.product(range(CODE_LENGTH), ALPHABET):
            if char != code[position]:
                typo = code[:position] + char + code[position + 1 :]
                assert not is_valid_code(typo), (code, position, char)
        for i, j in itertools.combinations(range(CODE_LENGTH), 2):
            if code[i] != code[j]:
                chars = list(code)
                chars[i], chars[j] = chars[j], chars[i]
                assert not is_valid_code("".join(chars)), (code, i, j)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", CodeProblem.EMPTY),
        ("   - ", CodeProblem.EMPTY),
        ("ABCD-EFGH", CodeProblem.LENGTH),
        ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-234U", CodeProblem.CHARACTER),
        ("khong-ton-tai", CodeProblem.LENGTH),
        ("<script>", CodeProblem.CHARACTER),
    ],
)
def test_a_malformed_code_says_what_is_wrong(typed, problem):
    with pytest.raises(InvalidCode) as error:
        normalise_code(typed)
    assert error.value.problem == problem


def test_a_code_with_a_wrong_check_character_is_refused():
    code = new_code()
    wrong = ALPHABET[(ALPHABET.index(code[-1]) + 1) % 32]
    with pytest.raises(InvalidCode) as error:
        normalise_code(code[:-1] + wrong)
    assert error.value.problem == CodeProblem.CHECK
