import pytest
from django.core.exceptions import ValidationError

from accounts.regions import is_known_region, region_name
from accounts.validators import credit_code_check_char, validate_credit_code, validate_region_code


def test_check_character_follows_gb32100_weights():
    # Worked by hand: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 over
    # "91350100M000100Y4": the sum mod 31 gives check "3".
    assert credit_code_check_char("91350100M000100Y4") == "3"


# The standard's worked example and codes that companies publish on their licences.
@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "914403001922038216", "91330100799655058B", "91110108551385082Q"],
)
def test_it_accepts_well_formed_codes(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y4I", "charset"),  # I is not in the GB 32100 alphabet
        ("91350100m000100Y43", "charset"),
    ],
)
def test_it_rejects_malformed_codes(code, reason):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == f"credit_code_{reason}"


@pytest.mark.parametrize("code", ["420111", "420600", "429004", "422801", "110105", "440305"])
def test_known_region_codes_pass(code):
    validate_region_code(code)


@pytest.mark.parametrize("code", ["420199", "429999", "990000", "4201", "42011a", ""])
def test_unknown_region_codes_are_refused(code):
    assert not is_known_region(code)
    with pytest.raises(ValidationError):
        validate_region_code(code)


def test_region_names_include_the_city():
    assert region_name("420111") == "武汉市洪山区"
    assert region_name("420600") == "襄阳市"
    assert region_name("440305") == "广东省"
