"""Which text on a PDF page a person looking at the page cannot see.

pypdf returns every string a page draws, also text drawn invisibly (render mode 3 or 7),
in white, smaller than 2 pt, outside the page, or under a white box drawn after it.
Seeing that means following the graphics state through pypdf's visitor hooks, a Python
call per operator; so a cheap scan of the content bytes first picks the few pages that
draw anything able to hide text, and only those are extracted with the hooks.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from pypdf import PageObject
from pypdf.generic import ArrayObject

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Matrix = list[float]
IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]

MIN_VISIBLE_POINTS = 2.0
WHITE = 0.97  # gray and RGB components at or above this print as white
NO_INK = 0.03  # and CMYK ones below this
INVISIBLE_RENDER_MODES = {3, 7}
COMPONENTS = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}

# Forwards: an operator that changes the fill colour (or restores it).
_FILL_CHANGE = re.compile(rb"\b(?:rg|g|k|scn?|cs|Q)\b")
# The scan reads each stream backwards: operands come before their operator, and a pattern that
# starts with the (reversed) operator is found by the regex engine's fast literal search.
_INVISIBLE_MODE = re.compile(rb"rT\s+[37](?![\w.])")
_FONT_SIZE = re.compile(rb"fT\s+([\d.]+)")
_TEXT_MATRIX = re.compile(rb"mT\s+\S+\s+\S+" + rb"\s+(\S+)" * 4)  # a, b, c, d only: e and f differ per line
_MATRIX = re.compile(rb"mc" + rb"\s+(\S+)" * 6)
# Reversed numbers from 0.97 to 1 (white gray or RGB), and below 0.03 (no CMYK ink).
_HIGH = rb"(?:0*\.?1|\d*[7-9]9\.0?)(?![\d.+-])"
_LOW = rb"(?:\d*[0-2]0\.0?|0*\.?0)(?![\d.+-])"
_WHITE_FILLS = [
    re.compile(operator + operands + rb"(?!\s+[\d.+-])")
    for operator, operands in (
        (rb"gr", rb"\s+%s" % _HIGH * 3),
        (rb"g(?<![A-Za-z]g)", rb"\s+" + _HIGH),  # g, not gs
        (rb"k", rb"\s+%s" % _LOW * 4),
        (rb"cs", rb"(?:%s|\s+%s(?:%s)?)" % (rb"\s+%s" % _LOW * 4, _HIGH, rb"\s+%s" % _HIGH * 2)),  # sc and scn
    )
]


@cache
def _far_positions(digits: int) -> tuple[re.Pattern[bytes], ...]:
    """Backwards: a Tm with a negative translation, or a Tm, Td or TD with a number of `digits` digits or more."""
    far = rb"(?:\d*\.)?\d{%d,}-?(?=\s)" % digits
    return (
        re.compile(rb"mT\s+(?:\S+\s+)?(?:[\d.]+-(?=\s)|" + far + rb")"),
        re.compile(rb"dT\s+(?:\S+\s+)?" + far),
        re.compile(rb"DT\s+(?:\S+\s+)?" + far),
    )


def _next_text(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Where the next operator that shows text (Tj, TJ, ' or ") is, or -1; an apostrophe in a string counts too."""
    found = -1
    for operator in (b"Tj", b"TJ", b"'", b'"'):
        position = data.find(operator, start, end if found < 0 else found)  # only an earlier one matters
        if position >= 0:
            found = position
    return found


def _number(token: bytes) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


def _backwards_numbers(tokens: tuple[bytes, ...]) -> list[float]:
    """Reversed operand tokens as numbers in their original order, up to the first that is not one."""
    numbers = []
    for token in tokens:
        number = _number(token[::-1]) if token else None
        if number is None:
            break
        numbers.append(number)
    return numbers[::-1]


def _is_white(values: list[float]) -> bool:
    """Gray, RGB or CMYK (told apart by their number) that leave the paper white."""
    if len(values) == 4:
        return max(values) < NO_INK
    return len(values) in (1, 3) and min(values) >= WHITE


def _scale(matrix: Matrix) -> float:
    return math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))


def _content_streams(page: PageObject, box: Box) -> Iterator[tuple[bytes, Box]]:
    """The decoded page content and the forms it can draw, each with its box.

    pypdf keeps each stream's decoded bytes, so decoding them here costs extract_text nothing.
    """
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
        parts = contents if isinstance(contents, ArrayObject) else [contents]
        yield b"\n".join(part.get_object().get_data() for part in parts), box
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for xobject in xobjects.get_object().values() if xobjects is not None else ():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield xobject.get_data(), tuple(float(value) for value in xobject.get("/BBox", box))


def might_hide_text(page: PageObject) -> bool:
    """A fast look at the content bytes for anything that could hide text; false for most pages."""
    try:
        return any(
            _next_text(data) >= 0 and _stream_might_hide_text(data, box)
            for data, box in _content_streams(page, page_box(page))
        )
    except MemoryError:
        raise
    except Exception:
        return True


def _stream_might_hide_text(data: bytes, box: Box) -> bool:
    """Invisible render mode, a font size that may end up under 2 pt, far or negative text positions, or a white
    fill near text. A heuristic: text moved away by a cm alone, or drawn in a form inside a form, gets past it."""
    backwards = data[::-1]
    if _INVISIBLE_MODE.search(backwards):
        return True
    sizes = [size for token in set(_FONT_SIZE.findall(backwards)) if (size := _number(token[::-1])) is not None]
    matrices = [
        numbers for tokens in set(_MATRIX.findall(backwards)) if len(numbers := _backwards_numbers(tokens)) == 6
    ]
    scales = [_scale(matrix) for matrix in matrices] + [
        _scale(numbers)
        for tokens in set(_TEXT_MATRIX.findall(backwards))
        if len(numbers := _backwards_numbers(tokens)) == 4
    ]
    if sizes and min(sizes) * min(scales + [1.0]) < MIN_VISIBLE_POINTS:
        return True
    # A cm can move far coordinates onto the page (HTML converters draw a tall canvas through a window).
    extent = max(map(abs, box))
    reach = max(
        [extent] + [(extent + abs(matrix[4]) + abs(matrix[5])) / max(_scale(matrix), 1e-6) for matrix in matrices]
    )
    if any(pattern.search(backwards) for pattern in _far_positions(len(str(int(reach))) + 1)):
        return True
    return any(
        _white_meets_text(data, len(data) - match.start())
        for pattern in _WHITE_FILLS
        for match in pattern.finditer(backwards)
    )


def _white_meets_text(data: bytes, end: int) -> bool:
    """Whether a white fill set at `end` could draw text, or cover text drawn before it."""
    later_text = _next_text(data, end)
    if later_text >= 0 and not _FILL_CHANGE.search(data, end, later_text):
        return True
    return _next_text(data, 0, end) >= 0


def page_box(page: PageObject) -> Box:
    """What a viewer shows: the media box cut to the crop box."""
    media, crop = page.mediabox, page.cropbox
    (mx0, mx1), (my0, my1) = sorted((media.left, media.right)), sorted((media.bottom, media.top))
    (cx0, cx1), (cy0, cy1) = sorted((crop.left, crop.right)), sorted((crop.bottom, crop.top))
    return float(max(mx0, cx0)), float(max(my0, cy0)), float(min(mx1, cx1)), float(min(my1, cy1))


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _inside(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@dataclass(frozen=True)
class _Graphics:
    """The part of the graphics state that decides whether text shows (saved by q, restored by Q)."""

    white: bool = False
    invisible: bool = False
    font_size: float = 12.0  # pypdf's size for text drawn before any Tf
    colour_space: str = "/DeviceGray"


@dataclass
class _Mark:
    """One text-showing operator: when and where it drew, and the tricks hiding it."""

    order: int
    x: float
    y: float
    tricks: set[str]


class HiddenTextFinder:
    """Follows pypdf's visitor hooks through one page and keeps each text chunk with its tricks.

    pypdf reports text in chunks (about a line) after the operators that drew it, so every
    text-showing operator leaves a mark that goes to the next chunk reported.
    """

    def __init__(self, box: Box):
        self.box = box
        self.graphics = _Graphics()
        self.saved: list[_Graphics] = []
        self.forms: list[tuple[_Graphics, int, Matrix]] = []
        self.outer = IDENTITY  # where the form being drawn sits on the page
        self.path: list[Box] = []
        self.fills: list[tuple[int, bool, Box]] = []  # (order, white, box) of filled rectangles
        self.order = 0
        self.pending: list[_Mark] = []
        self.open_array: _Mark | None = None  # a TJ whose text pypdf may report across two chunks
        self.chunks: list[tuple[str, list[_Mark]]] = []

    def before(self, operator: bytes, operands: list, cm: Matrix, tm: Matrix) -> None:
        self.open_array = None
        handler = self.HANDLERS.get(operator)
        if handler is not None:
            with contextlib.suppress(ArithmeticError, LookupError, TypeError, ValueError):
                handler(self, operator, operands, cm, tm)  # a malformed operand must not cost the page its text

    def after(self, operator: bytes, operands: list, cm: Matrix, tm: Matrix) -> None:
        if operator == b"Do" and self.forms:
            self.graphics, depth, self.outer = self.forms.pop()
            del self.saved[depth:]

    def text(self, text: str, cm: Matrix, tm: Matrix, font: object, font_size: float) -> None:
        self.chunks.append((text, self.pending))
        self.pending = [self.open_array] if self.open_array else []

    def chunks_with_tricks(self) -> list[tuple[str, set[str]]]:
        """Every chunk pypdf reported, in order, with the tricks hiding it (none if it shows)."""
        white_fills = [(order, box) for order, white, box in self.fills if white]
        result = []
        for text, marks in self.chunks:
            tricks: set[str] = set()
            for mark in marks:
                tricks |= mark.tricks
                if any(order > mark.order and _inside(box, mark.x, mark.y) for order, box in white_fills):
                    tricks.add("text under a white box")
            result.append((text, tricks))
        return result

    def _save(self, operator, operands, cm, tm) -> None:
        self.saved.append(self.graphics)

    def _restore(self, operator, operands, cm, tm) -> None:
        if self.saved:
            self.graphics = self.saved.pop()

    def _colour(self, operator, operands, cm, tm) -> None:
        space = {b"rg": "/DeviceRGB", b"g": "/DeviceGray", b"k": "/DeviceCMYK"}.get(
            operator, self.graphics.colour_space
        )
        values = [float(value) for value in operands if isinstance(value, (int, float))]  # not a pattern's name
        # sc/scn in a named (ICC) space: three components read as RGB, four as CMYK, one is unknown.
        components = COMPONENTS.get(space) or (len(values) if len(values) in (3, 4) else 0)
        self.graphics = replace(
            self.graphics, white=len(values) == components and _is_white(values), colour_space=space
        )

    def _colour_space(self, operator, operands, cm, tm) -> None:
        self.graphics = replace(self.graphics, white=False, colour_space=str(operands[0]))

    def _render_mode(self, operator, operands, cm, tm) -> None:
        self.graphics = replace(self.graphics, invisible=int(operands[0]) in INVISIBLE_RENDER_MODES)

    def _font(self, operator, operands, cm, tm) -> None:
        self.graphics = replace(self.graphics, font_size=float(operands[1]))

    def _rectangle(self, operator, operands, cm, tm) -> None:
        x, y, width, height = (float(value) for value in operands[:4])
        matrix = _multiply(cm, self.outer)
        points = [
            (px * matrix[0] + py * matrix[2] + matrix[4], px * matrix[1] + py * matrix[3] + matrix[5])
            for px, py in ((x, y), (x + width, y), (x, y + height), (x + width, y + height))
        ]
        xs, ys = [px for px, _ in points], [py for _, py in points]
        self.path.append((min(xs), min(ys), max(xs), max(ys)))

    def _fill(self, operator, operands, cm, tm) -> None:
        if not (operator.endswith(b"*") and len(self.path) > 1):  # even-odd over several rectangles makes a frame
            for box in self.path:
                self.order += 1
                self.fills.append((self.order, self.graphics.white, box))
        self.path = []

    def _end_path(self, operator, operands, cm, tm) -> None:
        self.path = []

    def _show(self, operator, operands, cm, tm) -> None:
        shown = operands[0] if operator == b"TJ" else operands[-1:]
        strings = [item for item in shown if isinstance(item, (str, bytes))]
        if not any(item.strip() for item in strings):
            return
        matrix = _multiply(_multiply(tm, cm), self.outer)
        size = abs(self.graphics.font_size) * math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))
        width = 0.6 * size * sum(len(item) for item in strings)
        # A point inside the first glyph: what a box drawn over or under the text must hold.
        x, y = matrix[4] + size / 4, matrix[5] + size / 3
        tricks = set()
        if self.graphics.invisible:
            tricks.add("invisible text")
        if self.graphics.white and not self._on_coloured_fill(x, y):
            tricks.add("white text")
        if size < MIN_VISIBLE_POINTS:
            tricks.add("tiny text")
        x0, y0, x1, y1 = self.box
        if matrix[4] > x1 or matrix[5] > y1 or matrix[4] + width < x0 or matrix[5] + size < y0:
            tricks.add("text off the page")
        self.order += 1
        mark = _Mark(self.order, x, y, tricks)
        self.pending.append(mark)
        self.open_array = mark if operator == b"TJ" else None

    def _on_coloured_fill(self, x: float, y: float) -> bool:
        """White text on a coloured box drawn before it (a table header) shows."""
        for _, white, box in reversed(self.fills):
            if _inside(box, x, y):
                return not white
        return False

    def _enter_form(self, operator, operands, cm, tm) -> None:
        self.forms.append((self.graphics, len(self.saved), self.outer))
        self.outer = _multiply(cm, self.outer)

    HANDLERS = {
        b"q": _save,
        b"Q": _restore,
        b"rg": _colour,
        b"g": _colour,
        b"k": _colour,
        b"sc": _colour,
        b"scn": _colour,
        b"cs": _colour_space,
        b"Tr": _render_mode,
        b"Tf": _font,
        b"re": _rectangle,
        **dict.fromkeys((b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"), _fill),
        b"n": _end_path,
        b"S": _end_path,
        b"s": _end_path,
        b"Tj": _show,
        b"TJ": _show,
        b"'": _show,
        b'"': _show,
        b"Do": _enter_form,
    }


def extract_text_with_hidden(page: PageObject, visitor_text=None) -> tuple[str, list[tuple[str, set[str]]]]:
    """The page's text exactly as page.extract_text() gives it, and its chunks with the tricks hiding them.

    Pages the scan finds harmless are extracted once, without operator hooks, and have no chunks; `visitor_text`
    (the layout's hook) sees every chunk either way.
    """
    if not might_hide_text(page):
        return page.extract_text(visitor_text=visitor_text), []
    finder = HiddenTextFinder(page_box(page))

    def both(*chunk) -> None:
        finder.text(*chunk)
        if visitor_text is not None:
            visitor_text(*chunk)

    text = page.extract_text(
        visitor_operand_before=finder.before, visitor_operand_after=finder.after, visitor_text=both
    )
    return text, finder.chunks_with_tricks()
