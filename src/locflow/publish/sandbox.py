"""Bounds on what a project template may do (issue 17: a pull request cannot change who
is trusted).

Project templates are repository content. Jinja2's sandbox keeps them from running
code; :class:`BoundedSandbox` also bounds their work, so that no template can hang or
exhaust a build:

- time: rendering one file stops after :data:`RENDER_SECONDS` (checked at every loop
  iteration, call, attribute and output chunk, so ``{% for %}`` loops nested over
  ``range()`` cannot run for ever);
- ``range()`` has at most :data:`MAX_RANGE` items;
- size: a rendered file has at most :data:`MAX_OUTPUT` characters and any value a
  template makes at most :data:`MAX_VALUE` (``"x" * n``, ``~``, ``+``, a filter's or a
  method's result); the operations that multiply a size are checked before they run
  (``*``, ``**``, ``%`` and ``format`` field widths, ``replace``, ``join``,
  ``indent``, ``wordwrap``, ``expandtabs``), and a width or count given to ``center``,
  ``ljust``, ``zfill``, ``indent``, ``batch``, ``tojson``… is at most
  :data:`MAX_ARGUMENT`;
- ``lipsum()`` is not offered (it makes text of any size).

A template that goes past a bound raises :class:`TemplateLimit` (a
:class:`~jinja2.exceptions.SecurityError`); :func:`render` renders within the bounds.
This module imports Jinja2: import it inside functions.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import update_wrapper
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_context
from jinja2.visitor import NodeTransformer

#: Seconds one file may take to render.
RENDER_SECONDS = 3.0
#: Characters of one rendered file.
MAX_OUTPUT = 20_000_000
#: Characters (or items) of any value a template makes.
MAX_VALUE = 10_000_000
#: Bits of an integer a template makes.
MAX_BITS = 100_000
#: Items of a ``range()``.
MAX_RANGE = 10_000
#: A number passed to a filter or to a method of a built-in value (a width, a count).
MAX_ARGUMENT = 10_000


class TemplateLimit(SecurityError):
    """A template went past one of the bounds: too slow, too large, too big a number."""


class _Budget:
    __slots__ = ("deadline",)

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds


_BUDGET: ContextVar[_Budget | None] = ContextVar("locflow_template_budget", default=None)


def tick() -> None:
    """Stop a render that has run out of time."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise TemplateLimit(f"the template takes over {RENDER_SECONDS:g} s to render")


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """*template* rendered with *context*, within :data:`RENDER_SECONDS` and
    :data:`MAX_OUTPUT` characters (else :class:`TemplateLimit`)."""
    token = _BUDGET.set(_Budget(RENDER_SECONDS))
    try:
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit(f"the template renders over {MAX_OUTPUT:,} characters")
            tick()
            chunks.append(chunk)
        return "".join(chunks)
    finally:
        _BUDGET.reset(token)


# -- sizes -----------------------------------------------------------------------------

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def check_value(value: Any) -> Any:
    """*value*, unless it is larger than a template may make."""
    if isinstance(value, _SIZED) and len(value) > MAX_VALUE:
        raise TemplateLimit(f"the template makes a value over {MAX_VALUE:,} characters")
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise TemplateLimit(f"the template makes a number over {MAX_BITS:,} bits")
    return value


def _check_size(size: int) -> None:
    if size > MAX_VALUE:
        raise TemplateLimit(f"the template makes a value over {MAX_VALUE:,} characters")


def _check_argument(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
        raise TemplateLimit(f"a number over {MAX_ARGUMENT:,} given to a filter or method")


#: A ``%`` conversion: its width and precision (numbers, or ``*``).
_PERCENT_FIELD = re.compile(
    r"%(?:\([^()]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def percent_widths(text: str) -> tuple[int, bool]:
    """(the sum of the widths and precisions of *text*'s ``%`` conversions, whether one
    takes its width or precision from the values: ``*``): ``%(n)-20s and %.3f of %*d``
    gives (23, True)."""
    total, star = 0, False
    for match in _PERCENT_FIELD.finditer(text):
        for number in match.groups():
            if number == "*":
                star = True
            elif number:
                total += int(number) if len(number) <= 12 else 10**12
    return total, star


def _check_percent(text: str, values: Any) -> None:
    total, star = percent_widths(text)
    _check_size(len(text) + total)
    if star:
        for value in values if isinstance(values, tuple) else (values,):
            _check_argument(value)


def _check_brace_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    total = len(text)
    nested = False
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec:
            nested = nested or "{" in spec
            total += sum(int(n) if len(n) <= 12 else 10**12 for n in re.findall(r"\d+", spec))
    _check_size(total)
    if nested:  # a width taken from the values ("{:{w}}")
        for value in (*args, *kwargs.values()):
            _check_argument(value)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, _SIZED) and isinstance(times, int):
            _check_size(len(sequence) * max(times, 0))
    if isinstance(left, int) and isinstance(right, int) and (
            left.bit_length() + right.bit_length() > MAX_BITS):
        raise TemplateLimit(f"the template makes a number over {MAX_BITS:,} bits")


def _check_power(left: Any, right: Any) -> None:
    if (isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
            and left.bit_length() * min(right, MAX_BITS + 1) > MAX_BITS):
        raise TemplateLimit(f"the template makes a number over {MAX_BITS:,} bits")


def _lines(text: Any) -> int:
    return str(text).count("\n") + 1


#: Filters and methods whose numbers are sizes: a width, a count of items.
_SIZE_ARGUMENTS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "indent",
                             "batch", "slice", "tojson", "to_bytes"})


def _check_text_call(name: str, text: Any, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> None:
    """Check a call of the string method or filter *name* on *text* that can multiply
    sizes, before it runs."""
    if name in ("format", "format_map"):
        if isinstance(text, str):
            mapping = dict(args[0]) if name == "format_map" and args else kwargs
            _check_brace_format(text, args if name == "format" else (), mapping)
        return
    if name in _SIZE_ARGUMENTS:
        for value in (*args, *kwargs.values()):
            _check_argument(value)
    if name == "replace" and len(args) >= 2 and isinstance(text, str):
        old, new = str(args[0]), str(args[1])
        count = text.count(old) if old else len(text) + 1
        _check_size(len(text) + count * max(len(new) - len(old), 0))
    elif name == "expandtabs" and isinstance(text, str):
        size = args[0] if args else kwargs.get("tabsize", 8)
        _check_size(len(text) + text.count("\t") * int(size))
    elif name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        prefix = len(width) if isinstance(width, str) else int(width)
        _check_size(len(str(text)) + _lines(text) * prefix)
    elif name == "wordwrap":
        width = int(args[0] if args else kwargs.get("width", 79))
        wrap = str(args[2] if len(args) > 2 else kwargs.get("wrapstring") or "\n")
        _check_size(len(str(text)) + (len(str(text)) // max(width, 1) + _lines(text))
                    * len(wrap))


def _check_join(items: list[Any], separator: Any) -> None:
    _check_size(len(items) * len(str(separator)))


# -- the environment -------------------------------------------------------------------


@pass_context
def _loop(context: Context, iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` loop's items, checking the time at each."""
    for item in iterable:
        tick()
        yield item


@pass_context
def _value(context: Context, value: Any) -> Any:
    """A concatenation's (``~``) result, checked."""
    return check_value(value)


def _bounded_range(*args: int) -> range:
    for value in args:
        if isinstance(value, int) and value.bit_length() > 64:
            raise TemplateLimit(f"a range over {MAX_RANGE:,} items")
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateLimit(f"a range over {MAX_RANGE:,} items")
    return items


class _Bounds(NodeTransformer):
    """Every ``{% for %}`` loop through :func:`_loop`, every ``~`` through :func:`_value`."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "locflow_loop", [], [], None, None,
                                 lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, "locflow_value", [], [], None, None, lineno=node.lineno)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """*function* (a filter), checking the time, its arguments and its result."""
    passed = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    def bounded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if len(args) > passed:
            value, rest = args[passed], args[passed + 1:]
            if name == "format":
                _check_percent(str(value), rest or tuple(kwargs.values()))
            else:
                _check_text_call(name, value, rest, kwargs)
                if name == "join":
                    items = list(value)
                    _check_join(items, rest[0] if rest else kwargs.get("d", ""))
                    args = (*args[:passed], items, *rest)
        return check_value(function(*args, **kwargs))

    return update_wrapper(bounded, function)


_BUILTIN_VALUES = (str, bytes, int, float, list, tuple, dict, set, frozenset)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with the bounds of this module."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)
        self.filters = {name: _bounded_filter(name, function)
                        for name, function in self.filters.items()}
        self.filters["locflow_loop"] = _loop
        self.filters["locflow_value"] = _value

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Bounds().visit(super()._parse(source, name, filename))
        assert isinstance(tree, nodes.Template)
        tree.set_environment(self)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        tick()
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_percent(left, right)
        return check_value(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any,  # (named as Jinja2 names them)
             *args: Any, **kwargs: Any) -> Any:
        tick()
        method = getattr(__obj, "__wrapped__", __obj)  # (str.format: wrapped by the sandbox)
        owner = getattr(method, "__self__", None)
        if isinstance(owner, _BUILTIN_VALUES):
            name = getattr(method, "__name__", "")
            _check_text_call(name, owner, args, kwargs)
            if name == "join" and isinstance(owner, str) and args:
                items = list(args[0])
                _check_join(items, owner)
                args = (items, *args[1:])
        return check_value(super().call(__context, __obj, *args, **kwargs))
