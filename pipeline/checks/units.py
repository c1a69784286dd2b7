"""Measures in both languages' units: "6 m" and "20 feet", "27 graden" and "80 degrees" are one fact.

A translator may convert a measure (the professional Dutch of NTREX-128 turns inches into centimetres and
Fahrenheit into Celsius), so a number with a unit also gets its value in the unit's base (metres,
kilograms, metres per second, degrees Celsius), and two such values of one dimension match when they are
as close as the rounding of the coarser one allows. Degrees without a scale read as both Celsius and
Fahrenheit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# unit word (folded, without a final full stop) -> (dimension, factor to the base unit)
UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("mm", "millimeter", "millimetre", "millimeters", "millimetres"), ("length", 0.001)),
    **dict.fromkeys(("cm", "centimeter", "centimetre", "centimeters", "centimetres"), ("length", 0.01)),
    **dict.fromkeys(("m", "meter", "metre", "meters", "metres"), ("length", 1.0)),
    **dict.fromkeys(("km", "kilometer", "kilometre", "kilometers", "kilometres"), ("length", 1000.0)),
    **dict.fromkeys(("inch", "inches", "duim"), ("length", 0.0254)),
    **dict.fromkeys(("ft", "foot", "feet", "voet"), ("length", 0.3048)),
    **dict.fromkeys(("yard", "yards"), ("length", 0.9144)),
    **dict.fromkeys(("mile", "miles", "mijl", "mijlen"), ("length", 1609.344)),
    **dict.fromkeys(("g", "gram", "grams", "grammes"), ("mass", 0.001)),
    **dict.fromkeys(("kg", "kilo", "kilos", "kilogram", "kilograms"), ("mass", 1.0)),
    **dict.fromkeys(("ton", "tons", "tonnes", "tonne"), ("mass", 1000.0)),
    **dict.fromkeys(("pound", "pounds", "lb", "lbs"), ("mass", 0.45359237)),
    **dict.fromkeys(("ounce", "ounces", "oz"), ("mass", 0.028349523)),
    **dict.fromkeys(("kph", "km/h", "km/u"), ("speed", 1 / 3.6)),
    **dict.fromkeys(("mph",), ("speed", 0.44704)),
    **dict.fromkeys(("hectare", "hectares", "ha"), ("area", 10_000.0)),
    **dict.fromkeys(("acre", "acres"), ("area", 4046.8564)),
    **dict.fromkeys(("liter", "litre", "liters", "litres"), ("volume", 0.001)),
    **dict.fromkeys(("gallon", "gallons"), ("volume", 0.0037854)),
}
IMPERIAL = frozenset(
    {
        "inch",
        "inches",
        "duim",
        "ft",
        "foot",
        "feet",
        "voet",
        "yard",
        "yards",
        "mile",
        "miles",
        "mijl",
        "mijlen",
        "pound",
        "pounds",
        "lb",
        "lbs",
        "ounce",
        "ounces",
        "oz",
        "mph",
        "acre",
        "acres",
        "gallon",
        "gallons",
    }
)
CELSIUS = frozenset({"°c", "celsius"})
FAHRENHEIT = frozenset({"°f", "fahrenheit"})
DEGREES = frozenset({"graden", "degrees", "degree", "°"})
# Words between the two numbers of a range whose unit follows the second: "2 tot 10 cm", "1 to 4 inches".
RANGE_WORDS = frozenset({"tot", "to", "-", "–", "en", "and", "à", "of", "or"})
FEET = frozenset({"ft", "foot", "feet", "voet"})
INCHES = frozenset({"in", "inch", "inches", "duim"})
HOUR_NOUNS = frozenset({"uur", "hour"})
PER = frozenset({"per", "an", "a"})
# Two readings agree within this share of the larger, or within one unit of the coarser side.
TOLERANCE = 0.05


@dataclass(frozen=True)
class Measure:
    dimension: str
    value: float  # in the base unit
    step: float  # one unit of the text's own unit, in the base unit: how far rounding may move it
    system: str  # "metric" or "imperial": only a conversion between the two is rounded


def measures(value: float, unit: str, after: str = "", precision: float = 1.0) -> list[Measure]:
    """The readings of ``value`` ``unit`` (``after``: the word after the unit, "Celsius" after "graden";
    ``precision``: the step of the number's last digit)."""
    if unit in UNITS:
        dimension, factor = UNITS[unit]
        system = "imperial" if unit in IMPERIAL else "metric"
        return [Measure(dimension, value * factor, factor * precision, system)]
    scale = after if after in CELSIUS | FAHRENHEIT else unit
    celsius = Measure("temperature", value, 1.0, "metric")
    fahrenheit = Measure("temperature", (value - 32) * 5 / 9, 5 / 9, "imperial")
    if unit in CELSIUS or (unit in DEGREES and scale in CELSIUS):
        return [celsius]
    if unit in FAHRENHEIT or (unit in DEGREES and scale in FAHRENHEIT):
        return [fahrenheit]
    return [celsius, fahrenheit] if unit in DEGREES else []


def is_unit(word: str) -> bool:
    return word in UNITS or word in CELSIUS | FAHRENHEIT | DEGREES


def agree(one: Measure, other: Measure) -> bool:
    """One measure converted: the same dimension in the other system, as close as rounding allows. In
    one system a number must match exactly (its key), so "50 km" for "51 km" is still a finding."""
    if one.dimension != other.dimension or one.system == other.system:
        return False
    gap = abs(one.value - other.value)
    return gap <= TOLERANCE * max(abs(one.value), abs(other.value)) or gap <= max(one.step, other.step)


def read_measure(number: Decimal, following: Sequence[tuple[str, float | None]]) -> tuple[list[Measure], int]:
    """The measure of ``value`` and the tokens after it (folded, with their value when a number), and how
    many of those tokens the measure takes beyond its unit: "6-foot-6" is six feet six inches, one
    measure. The unit may follow the second number of a range ("2 tot 10 cm"). A number's last decimal
    is its precision: "1,93 meter" is as sure as a centimetre, "2 meter" only as a metre."""
    value = float(number)
    exponent = number.normalize().as_tuple().exponent
    precision = 10.0 ** min(0, exponent) if isinstance(exponent, int) else 1.0
    words = [word for word, _ in following] + [""] * 3
    offset = 2 if words[0] in RANGE_WORDS and len(following) > 1 and following[1][1] is not None else 0
    unit = words[offset]
    if unit.endswith("/") or unit == "km" and words[offset + 1] in {"u", "h"}:
        unit = "km/h"
    if not is_unit(unit):
        return [], 0
    dimension, factor = UNITS.get(unit, ("", 1.0))
    if dimension == "length" and words[offset + 1] in PER and words[offset + 2] in HOUR_NOUNS:
        # "140 km per uur", "85 miles per hour", "50 miles an hour"
        system = "imperial" if unit in IMPERIAL else "metric"
        return [Measure("speed", value * factor / 3600, factor / 3600 * precision, system)], 0
    inches = following[1][1] if offset == 0 and len(following) > 1 else None
    if unit in FEET and inches is not None and inches < 12:  # noqa: PLR2004 - inches in a foot
        feet = value * UNITS["foot"][1] + inches * UNITS["inch"][1]
        return [Measure("length", feet, UNITS["inch"][1], "imperial")], 3 if words[2] in INCHES else 2
    return measures(value, unit, words[offset + 1], precision), 0
