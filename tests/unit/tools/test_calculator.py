"""The calculator evaluates plain arithmetic exactly, and refuses anything else quickly and clearly."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.tools import calculator
from desktop_app.core.tools.calculator import CalculationError, calculate, format_result


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("25 * 4 + 10", 110),
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("2 ** 3 ** 2", 512),
        ("-2 ** 2", -4),
        ("(-2) ** 2", 4),
        ("-3 + +5", 2),
        ("--3", 3),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("2 ** 100", 2**100),
        ("1_000_000 * 3", 3_000_000),
        ("0x10 + 0b11", 19),
        ("  1 + 1  ", 2),
        ("1 +\t2", 3),
        ("factorial(20)", 2_432_902_008_176_640_000),
        ("gcd(12, 18)", 6),
        ("gcd(12.0, 8)", 4),
        ("abs(-5)", 5),
        ("round(2.5)", 2),
        ("round(12345, -2)", 12300),
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("max(7)", 7),
        ("floor(2.7)", 2),
        ("ceil(2.1)", 3),
        ("floor(-2.5)", -3),
        ("1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10", 55),
        ("+".join(["1"] * 900), 900),  # a long left-leaning chain is not "deep"
    ],
)
def test_int_results_are_exact(expression: str, expected: int) -> None:
    result = calculate(expression)
    assert type(result) is int
    assert result == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("10 / 4", 2.5),
        ("10 / 2", 5.0),
        ("0.1 + 0.2", 0.1 + 0.2),
        ("1.5 * 2", 3.0),
        ("2 ** -1", 0.5),
        ("2 ** 0.5", math.sqrt(2)),
        ("1e3 + 1", 1001.0),
        (".5 + 1.", 1.5),
        ("7.5 // 2", 3.0),
        ("7.5 % 2", 1.5),
        ("10 ** -400", 0.0),
        ("pi", math.pi),
        ("e", math.e),
        ("tau / 2", math.pi),
        ("2 * pi * 3", 2 * math.pi * 3),
        ("sqrt(16)", 4.0),
        ("sqrt(2)", math.sqrt(2)),
        ("round(2.567, 2)", 2.57),
        ("log(e)", 1.0),
        ("log(8, 2)", 3.0),
        ("log10(1000)", 3.0),
        ("log2(1024)", 10.0),
        ("exp(0)", 1.0),
        ("sin(0)", 0.0),
        ("cos(0)", 1.0),
        ("tan(0)", 0.0),
        ("asin(1)", math.pi / 2),
        ("acos(1)", 0.0),
        ("atan(1)", math.pi / 4),
        ("atan2(1, 1)", math.pi / 4),
        ("hypot(3, 4)", 5.0),
        ("sqrt(abs(-16)) + max(1.5, 2)", 6.0),
        ("sin(pi / 2) ** 2 + cos(pi / 2) ** 2", 1.0),
    ],
)
def test_float_results(expression: str, expected: float) -> None:
    result = calculate(expression)
    assert type(result) is float
    assert result == pytest.approx(expected)


def test_moderately_large_ints_are_allowed() -> None:
    assert calculate("2 ** 10000") == 2**10000
    assert calculate("(10 ** 3000) * (10 ** 3000)") == 10**6000
    assert calculate("factorial(1000)") == math.factorial(1000)
    assert calculate("9 ** 9") == 9**9
    assert calculate("1 ** (2 ** 64)") == 1
    assert calculate("(-1) ** (2 ** 64 + 1)") == -1


HOSTILE: list[tuple[str, str]] = [
    ("__import__('os').system('echo hi')", "attribute access is not allowed"),
    ("__import__('os')", "function '__import__' is not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "attribute access is not allowed"),
    ("().__class__", "attribute access is not allowed"),
    ("(1).real", "attribute access is not allowed"),
    ("[x for x in range(10)]", "comprehensions are not allowed"),
    ("sum(x for x in range(10))", "function 'sum' is not allowed"),
    ("lambda: 1", "lambda functions are not allowed"),
    ("(lambda: 1)()", "only functions called by name"),
    ("open('/etc/passwd')", "function 'open' is not allowed"),
    ("eval('1')", "function 'eval' is not allowed"),
    ("pow(2, 3)", "function 'pow' is not allowed"),
    ('"a" * 10', "strings are not allowed"),
    ("b'a'", "bytes are not allowed"),
    ("None", "None is not allowed"),
    ("...", "not allowed"),
    ("9**9**9", "the power is too large"),
    ("10**100000", "the power is too large"),
    ("2**(2**64)", "the power is too large"),
    ("(10**3000)**4", "the power is too large"),
    (
        "(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)"
        "*(10**3000)*(10**3000)",
        "too large",
    ),
    ("factorial(10**6)", "factorial() of more than 1000"),
    ("factorial(-1)", "non-negative integer"),
    ("factorial(2.5)", "needs integers"),
    ("round(5, -(10**30))", "number of digits"),
    ("round(5, 1.5)", "needs integers"),
    ("(" * 10000 + "1" + ")" * 10000, "too long"),
    ("(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ("-" * 100000 + "1", "too long"),
    ("-" * 1000 + "1", "nested too deeply"),
    ("2**" * 60 + "1", "nested too deeply"),
    ("sqrt(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ("1" * 1_000_000, "too long"),
    ("1 + " * 600_000 + "1", "too long"),
    ("", "empty"),
    ("   ", "empty"),
    ("1 +", "invalid expression"),
    ("1\x00", "invalid expression"),
    ("2 × 3", "invalid expression"),
    ("1; 2", "invalid expression"),
    ("import os", "invalid expression"),
    ("1/0", "division by zero"),
    ("1 // 0", "division by zero"),
    ("1 % 0", "division by zero"),
    ("1.0 / 0.0", "division by zero"),
    ("0 ** -1", "division by zero"),
    ("log(8, 1)", "division by zero"),
    ("sqrt(-1)", "sqrt(): math domain error"),
    ("log(0)", "log(): math domain error"),
    ("acos(2)", "acos(): math domain error"),
    ("(-8) ** (1 / 3)", "complex number"),
    ("1e308*10", "too large"),
    ("1e308 + 1e308", "too large"),
    ("1e999", "too large"),
    ("exp(1000)", "too large"),
    ("2.0 ** 5000", "too large"),
    ("10**400 / 1", "too large"),
    ("(10**3000) * 1.5", "too large"),
    ("x", "unknown name 'x'"),
    ("inf", "unknown name 'inf'"),
    ("__builtins__", "unknown name '__builtins__'"),
    ("sqrt", "function 'sqrt' must be called"),
    ("1 if 1 else 2", "conditional expressions"),
    ("True + 1", "booleans"),
    ("False", "booleans"),
    ("1 < 2", "comparisons are not allowed"),
    ("1 == 1", "comparisons are not allowed"),
    ("1 and 2", "boolean operators"),
    ("not 1", "not is not allowed"),
    ("1 ^ 2", "use ** for powers; ^ is bitwise XOR"),
    ("1 & 2", "bitwise operator & is not allowed"),
    ("1 | 2", "bitwise operator | is not allowed"),
    ("1 << 100000", "bitwise operator << is not allowed"),
    ("1 >> 1", "bitwise operator >> is not allowed"),
    ("~1", "bitwise operator ~ is not allowed"),
    ("f'{1}'", "f-strings are not allowed"),
    ("1j", "complex numbers are not allowed"),
    ("round(x=1)", "keyword arguments are not allowed"),
    ("round(**{})", "keyword arguments are not allowed"),
    ("max(*[1, 2])", "starred arguments"),
    ("sqrt()", "sqrt() takes 1 argument(s), not 0"),
    ("sqrt(1, 2)", "sqrt() takes 1 argument(s), not 2"),
    ("log(1, 2, 3)", "log() takes 1 or 2 argument(s), not 3"),
    ("min()", "min() takes at least 1 argument(s), not 0"),
    ("[1, 2]", "lists are not allowed"),
    ("(1, 2)", "tuples are not allowed"),
    ("{1: 2}", "dicts are not allowed"),
    ("{1}", "sets are not allowed"),
    ("[1][0]", "subscripts (x[...]) are not allowed"),
    ("(y := 1)", "assignments (:=) are not allowed"),
    ("1 @ 2", "the matrix operator @ is not allowed"),
]


@pytest.mark.parametrize(("expression", "message"), HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_input_is_refused_with_a_clear_message(expression: str, message: str) -> None:
    with pytest.raises(CalculationError) as caught:
        calculate(expression)
    assert message in str(caught.value)


def test_all_hostile_input_together_finishes() -> None:
    """Each case must be refused cheaply: a missing limit would make this loop hang or run out of memory."""
    for _ in range(20):
        for expression, _message in HOSTILE:
            with pytest.raises(CalculationError):
                calculate(expression)


def test_the_error_is_a_value_error_and_not_some_other_exception() -> None:
    with pytest.raises(ValueError, match="division by zero"):
        calculate("1/0")


def test_non_text_is_refused() -> None:
    with pytest.raises(CalculationError, match="must be text"):
        calculate(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 100_000 + "1" + ")" * 100_000,
        "-" * 100_000 + "1",
        "1+" * 100_000 + "1",
        "sqrt(" * 100_000 + "1" + ")" * 100_000,
        "(" * 100_000,
    ],
)
def test_without_the_length_cap_deep_input_is_still_refused(
    expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser's RecursionError, MemoryError and SyntaxError become CalculationError; nesting is capped."""
    monkeypatch.setattr(calculator, "MAX_LENGTH", 10**9)
    with pytest.raises(CalculationError):
        calculate(expression)


def test_the_check_runs_before_any_computation() -> None:
    """A refused part anywhere means nothing is computed, not even the expensive-but-allowed parts."""
    expensive = "*".join(["factorial(1000)"] * 10)
    with pytest.raises(CalculationError, match="unknown name 'x'"):
        calculate(f"{expensive} + x")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (110, "110"),
        (-7, "-7"),
        (0, "0"),
        (5.0, "5"),
        (-5.0, "-5"),
        (0.0, "0"),
        (2.5, "2.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e14, "100000000000000"),
        (1e15, "1000000000000000.0"),
        (1e20, "1e+20"),
        (1.5e-10, "1.5e-10"),
        (math.inf, "inf"),
        (math.nan, "nan"),
    ],
)
def test_format_result(value: int | float, text: str) -> None:
    assert format_result(value) == text


def test_format_result_writes_huge_ints_in_full() -> None:
    value = 10**6000 + 1  # more digits than str(int) allows by default (4300)
    text = format_result(value)
    assert text == "1" + "0" * 5999 + "1"
    assert format_result(-value) == "-" + text


def test_format_result_of_the_largest_allowed_result() -> None:
    value = calculate(
        "(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)*(10**3000)"
    )
    assert format_result(value) == "1" + "0" * 24000
