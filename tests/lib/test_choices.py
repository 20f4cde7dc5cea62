"""lib.choices: a plain-Python enumeration whose members carry their label."""

import pytest

from lib.choices import LabelledStrEnum


class Colour(LabelledStrEnum):
    RED = "r", "Merah"
    GREEN = "g", "Hijau"


def test_a_member_is_its_value_and_carries_its_label() -> None:
    assert Colour("r") is Colour.RED
    assert Colour.RED == "r" and f"{Colour.GREEN}" == "g"
    assert [member.label for member in Colour] == ["Merah", "Hijau"]


def test_a_member_without_a_label_is_refused() -> None:
    with pytest.raises(TypeError, match="has no label"):

        class Unlabelled(LabelledStrEnum):
            BLUE = "b"
