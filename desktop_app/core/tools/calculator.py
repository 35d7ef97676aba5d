"""Arithmetic for the model, evaluated by walking ``ast`` with a whitelist, never with ``eval``.

The expression comes from a language model, so it is untrusted. It is parsed with
``ast.parse(..., mode="eval")`` and only number literals, arithmetic operators, three constants and
a short list of math functions are evaluated; anything else is refused with a message that says what
was refused, so the model can correct itself. Everything that could grow (the text, the nesting, the
size of integers, powers, factorials, rounding digits) is capped, so hostile input is refused at
once instead of hanging or exhausting memory.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Final, NamedTuple, TypeAlias

Number: TypeAlias = int | float

MAX_LENGTH: Final = 2_000
"""Longest expression accepted, in characters; checked before parsing, which is the costly part."""
MAX_DEPTH: Final = 50
"""Deepest nesting accepted (brackets, unary signs, right operands, call arguments)."""
MAX_INT_BITS: Final = 100_000
"""Largest integer any step may produce, so repeated products cannot grow without bound."""
MAX_POWER_BITS: Final = 10_000
"""Largest integer a single ``**`` may produce (estimated before computing it)."""
MAX_FACTORIAL: Final = 1_000
"""Largest argument of ``factorial`` (1000! has about 8,500 bits)."""
MAX_ROUND_DIGITS: Final = 10_000
"""Largest ``abs(ndigits)`` for ``round``: rounding an int to ``-n`` digits computes ``10**n``."""

TOO_LARGE: Final = "the number is too large"


class CalculationError(ValueError):
    """The expression was refused or could not be evaluated; the message is for the model and the user."""


def _integer(what: str, value: Number) -> int:
    """``value`` as an int, accepting integral floats (``10/2``), for functions defined on integers."""
    if isinstance(value, int):
        return value
    if value.is_integer():
        return int(value)
    raise CalculationError(f"{what} needs integers, not {format_result(value)}")


def _round(value: Number, ndigits: Number | None = None) -> Number:
    """``round`` with a bounded number of digits (an int rounded to ``-n`` digits computes ``10**n``)."""
    if ndigits is None:
        return round(value)
    digits = _integer("round()", ndigits)
    if abs(digits) > MAX_ROUND_DIGITS:
        limit = MAX_ROUND_DIGITS
        raise CalculationError(f"round(): the number of digits must be between -{limit} and {limit}")
    return round(value, digits)


def _min(*values: Number) -> Number:
    return min(values)


def _max(*values: Number) -> Number:
    return max(values)


def _log(value: Number, base: Number | None = None) -> float:
    return math.log(value) if base is None else math.log(value, base)


def _factorial(value: Number) -> int:
    """``factorial`` of a non-negative integer no larger than ``MAX_FACTORIAL``."""
    n = _integer("factorial()", value)
    if n < 0:
        raise CalculationError("factorial() needs a non-negative integer")
    if n > MAX_FACTORIAL:
        raise CalculationError(f"factorial() of more than {MAX_FACTORIAL} is not allowed (too large)")
    return math.factorial(n)


def _gcd(*values: Number) -> int:
    return math.gcd(*(_integer("gcd()", value) for value in values))


class _Function(NamedTuple):
    """A function: how many positional arguments it takes (``None``: no upper bound), and what it does."""

    min_args: int
    max_args: int | None
    call: Callable[..., object]


FUNCTIONS: Final[dict[str, _Function]] = {
    "sqrt": _Function(1, 1, math.sqrt),
    "abs": _Function(1, 1, abs),
    "round": _Function(1, 2, _round),
    "min": _Function(1, None, _min),
    "max": _Function(1, None, _max),
    "floor": _Function(1, 1, math.floor),
    "ceil": _Function(1, 1, math.ceil),
    "log": _Function(1, 2, _log),
    "log10": _Function(1, 1, math.log10),
    "log2": _Function(1, 1, math.log2),
    "exp": _Function(1, 1, math.exp),
    "sin": _Function(1, 1, math.sin),
    "cos": _Function(1, 1, math.cos),
    "tan": _Function(1, 1, math.tan),
    "asin": _Function(1, 1, math.asin),
    "acos": _Function(1, 1, math.acos),
    "atan": _Function(1, 1, math.atan),
    "atan2": _Function(2, 2, math.atan2),
    "hypot": _Function(1, None, math.hypot),
    "factorial": _Function(1, 1, _factorial),
    "gcd": _Function(1, None, _gcd),
}

CONSTANTS: Final[dict[str, float]] = {"pi": math.pi, "e": math.e, "tau": math.tau}


def _multiply(left: Number, right: Number) -> Number:
    """``*``, refusing an int product above ``MAX_INT_BITS`` before computing it."""
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise CalculationError(TOO_LARGE)
    return left * right


def _power(base: Number, exponent: Number) -> object:
    """``**``, refusing an int power whose estimated size exceeds ``MAX_POWER_BITS`` before computing it."""
    # The exponent is compared first: that bounds the float product in the second test.
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and exponent > 1
        and abs(base) > 1
        and (exponent > MAX_POWER_BITS or exponent * math.log2(abs(base)) > MAX_POWER_BITS)
    ):
        raise CalculationError(f"the power is too large (its result would have over {MAX_POWER_BITS} bits)")
    result: object = pow(base, exponent)
    return result


_BINARY: Final[dict[type[ast.operator], tuple[str, Callable[[Number, Number], object]]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", _multiply),
    ast.Div: ("/", operator.truediv),
    ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod),
    ast.Pow: ("**", _power),
}

_REFUSED_BINARY: Final[dict[type[ast.operator], str]] = {
    ast.BitXor: "use ** for powers; ^ is bitwise XOR, which is not allowed",
    ast.BitAnd: "the bitwise operator & is not allowed",
    ast.BitOr: "the bitwise operator | is not allowed",
    ast.LShift: "the bitwise operator << is not allowed",
    ast.RShift: "the bitwise operator >> is not allowed",
    ast.MatMult: "the matrix operator @ is not allowed",
}

_REFUSED_NODES: Final[dict[type[ast.AST], str]] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts (x[...]) are not allowed",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "the boolean operators and/or are not allowed",
    ast.IfExp: "conditional expressions (a if c else b) are not allowed",
    ast.NamedExpr: "assignments (:=) are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Starred: "starred arguments (*args) are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


def calculate(expression: str) -> Number:
    """The value of an arithmetic expression, or ``CalculationError`` saying why it was refused.

    Ints stay exact (``25 * 4 + 10`` is ``110``); ``/`` and the math functions give floats.
    """
    tree = _parse(expression)
    _check(tree.body)
    return _evaluate(tree.body)


def format_result(value: Number) -> str:
    """``value`` as text for the model and the user; never raises.

    Integral floats below 1e15 lose their ``.0`` (``10/2`` shows ``5``); other floats use ``repr``.
    Ints of any size are written in full, even above ``sys.get_int_max_str_digits()``.
    """
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than int-to-str allows; Decimal has no such limit
            return str(Decimal(value))
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _parse(expression: str) -> ast.Expression:
    """The parsed expression, after the checks that must come before the parser sees the text."""
    if not isinstance(expression, str):
        raise CalculationError("the expression must be text")
    if len(expression) > MAX_LENGTH:
        length = len(expression)
        raise CalculationError(f"the expression is too long ({length} characters; the limit is {MAX_LENGTH})")
    text = expression.strip()
    if not text:
        raise CalculationError("the expression is empty")
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise CalculationError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        elif char in ")]}":
            depth -= 1
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise CalculationError(f"invalid expression: {exc.msg}") from None
    except ValueError as exc:  # e.g. a null byte
        raise CalculationError(f"invalid expression: {exc}") from None
    except (RecursionError, MemoryError):
        raise CalculationError("invalid expression: too complex to parse") from None


def _check(root: ast.expr) -> None:
    """Refuse anything outside the whitelist, or nested too deeply, before any computation.

    Iterative, so depth is measured without recursing. The left operand of a binary operator counts
    at its parent's depth, since ``_evaluate`` runs left-leaning chains (``1 + 2 + 3 + ...``) in a loop.
    """
    stack: list[tuple[ast.expr, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CalculationError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.BinOp):
            _binary_operator(node.op)
            stack.append((node.left, depth))
            stack.append((node.right, depth + 1))
        elif isinstance(node, ast.UnaryOp):
            _unary_operator(node.op)
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.Call):
            _function(node)
            stack.extend((arg, depth + 1) for arg in node.args)
        elif isinstance(node, ast.Constant):
            _literal(node.value)
        elif isinstance(node, ast.Name):
            _constant(node.id)
        else:
            raise CalculationError(_refusal(node))


def _evaluate(node: ast.expr) -> Number:
    """The value of a node that ``_check`` accepted (the checks are repeated, so this alone is safe too)."""
    if isinstance(node, ast.BinOp):
        chain: list[ast.BinOp] = []
        leftmost: ast.expr = node
        while isinstance(leftmost, ast.BinOp):
            chain.append(leftmost)
            leftmost = leftmost.left
        value = _evaluate(leftmost)
        for binary in reversed(chain):
            symbol, apply_operator = _binary_operator(binary.op)
            value = _apply(f"'{symbol}'", apply_operator, value, _evaluate(binary.right))
        return value
    if isinstance(node, ast.UnaryOp):
        negate = _unary_operator(node.op)
        operand = _evaluate(node.operand)
        return _apply("unary '-'", operator.neg, operand) if negate else operand
    if isinstance(node, ast.Call):
        name, function = _function(node)
        return _apply(f"{name}()", function.call, *(_evaluate(arg) for arg in node.args))
    if isinstance(node, ast.Constant):
        return _literal(node.value)
    if isinstance(node, ast.Name):
        return _constant(node.id)
    raise CalculationError(_refusal(node))


def _binary_operator(op: ast.operator) -> tuple[str, Callable[[Number, Number], object]]:
    allowed = _BINARY.get(type(op))
    if allowed is None:
        default = f"the operator {type(op).__name__} is not allowed"
        raise CalculationError(_REFUSED_BINARY.get(type(op), default))
    return allowed


def _unary_operator(op: ast.unaryop) -> bool:
    """Whether a unary operator negates (``-``) rather than keeps (``+``) its operand."""
    if isinstance(op, ast.USub):
        return True
    if isinstance(op, ast.UAdd):
        return False
    if isinstance(op, ast.Invert):
        raise CalculationError("the bitwise operator ~ is not allowed")
    raise CalculationError("the boolean operator not is not allowed")


def _function(call: ast.Call) -> tuple[str, _Function]:
    """The whitelisted function a call names, once its arguments are known to be plain and counted right."""
    if not isinstance(call.func, ast.Name):
        if isinstance(call.func, ast.Attribute):
            raise CalculationError("attribute access is not allowed")
        raise CalculationError("only functions called by name, like sqrt(2), are allowed")
    name = call.func.id
    function = FUNCTIONS.get(name)
    if function is None:
        raise CalculationError(f"function '{name}' is not allowed (allowed: {', '.join(FUNCTIONS)})")
    if call.keywords:
        raise CalculationError(f"keyword arguments are not allowed in {name}()")
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        raise CalculationError(f"starred arguments (*args) are not allowed in {name}()")
    count = len(call.args)
    if count < function.min_args or (function.max_args is not None and count > function.max_args):
        if function.max_args is None:
            expected = f"at least {function.min_args}"
        elif function.min_args == function.max_args:
            expected = str(function.min_args)
        else:
            expected = f"{function.min_args} or {function.max_args}"
        raise CalculationError(f"{name}() takes {expected} argument(s), not {count}")
    return name, function


def _literal(value: object) -> Number:
    """A literal, if it is a finite int or float (bools, strings, bytes, None and complex are refused)."""
    if isinstance(value, bool):
        raise CalculationError("booleans (True, False) are not allowed")
    if isinstance(value, int | float):
        return _checked(value)
    if isinstance(value, str):
        raise CalculationError("strings are not allowed")
    if isinstance(value, bytes):
        raise CalculationError("bytes are not allowed")
    if isinstance(value, complex):
        raise CalculationError("complex numbers are not allowed")
    if value is None:
        raise CalculationError("None is not allowed")
    raise CalculationError(f"the literal {value!r} is not allowed")


def _constant(name: str) -> float:
    value = CONSTANTS.get(name)
    if value is not None:
        return value
    if name in FUNCTIONS:
        raise CalculationError(f"function '{name}' must be called, like {name}(x)")
    raise CalculationError(f"unknown name '{name}' (the known constants are pi, e and tau)")


def _refusal(node: ast.AST) -> str:
    return _REFUSED_NODES.get(type(node), f"{type(node).__name__} expressions are not allowed")


def _apply(what: str, function: Callable[..., object], *args: Number) -> Number:
    """``function(*args)``, its failures turned into ``CalculationError`` and its result checked."""
    try:
        result = function(*args)
    except CalculationError:
        raise
    except ZeroDivisionError:
        raise CalculationError("division by zero") from None
    except OverflowError:
        raise CalculationError(TOO_LARGE) from None
    except ValueError as exc:
        raise CalculationError(f"{what}: {exc}") from None  # e.g. "sqrt(): math domain error"
    except TypeError as exc:
        raise CalculationError(f"{what}: {exc}") from None
    return _checked(result)


def _checked(result: object) -> Number:
    """``result`` if it is a finite real number of a bounded size; refused otherwise."""
    if isinstance(result, bool):
        return int(result)
    if isinstance(result, int):
        if result.bit_length() > MAX_INT_BITS:
            raise CalculationError(TOO_LARGE)
        return result
    if isinstance(result, float):
        if math.isnan(result):
            raise CalculationError("the result is not a number (nan)")
        if math.isinf(result):
            raise CalculationError(TOO_LARGE)
        return result
    if isinstance(result, complex):
        raise CalculationError("the result would be a complex number, which is not supported")
    raise CalculationError(f"unexpected result of type {type(result).__name__}")
