"""Which text on a PDF page a person looking at the page cannot see.

pypdf returns every string a page draws, also text drawn invisibly (render mode 3 or 7), in the colour of
what lies beneath it (white on the page, light grey on white, blue on a blue box), smaller than 3 pt,
outside the page or outside its clipping path, or under a box or an image drawn after it. Seeing that means
following the graphics state through pypdf's visitor hooks, a Python call per operator; so a cheap scan of
the content bytes first picks the few pages that draw anything able to hide text, and only those are
extracted with the hooks. Clipping is on every real page, so the scan follows clipping rectangles and text
positions (not colours, fonts or images) and picks a page only where text is placed outside its clip.
"""

from __future__ import annotations

import bisect
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

MIN_VISIBLE_POINTS = 3.0
# The byte scan's cruder estimate (the smallest size by the smallest scale in a stream) looks harder below this,
# and at clipping rectangles narrower than SLIT_POINTS: at 3 pt it would send a page in twenty to the slow pass.
SCAN_SMALL_POINTS = 2.5
SLIT_POINTS = 2.0
# A glyph's box by its font size (Helvetica's width, cap height). Text is clipped away when its first glyph's box
# lies more than CLIP_MARGIN font sizes (a line) outside the clip: HTML converters draw each page through a window
# and also place the lines just past its edges, which show on the next page. Text hidden within a line of a clip's
# edge gets past this.
GLYPH_WIDTH, GLYPH_HEIGHT = 0.6, 0.7
CLIP_MARGIN = 1.0
# The byte scan sends text to the slow pass this much (in points) sooner than the margin: it errs towards the slow
# pass, which decides.
CLIP_TOLERANCE = 1.0
FORM_DEPTH = 2  # forms inside forms the scan follows, as _opaque_images does
WHITE = 0.97  # gray and RGB components at or above this print as white
NO_INK = 0.03  # and CMYK ones below this
CONTRAST = 0.1  # text whose colour is this close (per RGB channel) to what lies beneath it cannot be read
PAPER: tuple[float, float, float] = (1.0, 1.0, 1.0)
Colour = tuple[float, float, float] | None  # RGB; None where the colour space is not one we can read
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


# Forwards: a fill colour set in gray, RGB or CMYK; a rectangle painted; a rectangle made the clipping path; an
# XObject drawn.
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
# Backwards (see above): a fill colour set in gray, RGB or CMYK; a rectangle painted (its height and width).
_REVERSED_NUMBER = rb"[.\d]+[-+]?"
_SET_FILL_BACKWARDS = re.compile(rb"(gr|g|k)(?![A-Za-z])((?:\s+%s){1,4})(?![^\s\[\]<>(){}/%%])" % _REVERSED_NUMBER)
_RECTANGLE_BACKWARDS = re.compile(rb"er\s+(%s)\s+(%s)\s+%s\s+%s(?![^\s\[\]<>(){}/%%])" % ((_REVERSED_NUMBER,) * 4))
_PAINT_BACKWARDS = re.compile(rb"(?:\*?[fBb]|F)\s+$")  # what precedes a rectangle, reversed: it was filled
_CLIP_RECT_BACKWARDS = re.compile(rb"n\s+\*?W\s+er\s+(%s)\s+(%s)\s" % ((rb"[.\d]+[-+]?",) * 2))
_DRAW_XOBJECT = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")
# Following clipping rectangles: literal strings (up to two levels of parentheses) and comments, cut out first so
# that their bytes are never read as operators; then, backwards (see above), an operator that clips, moves or
# places text, with its operands (at most six numbers, and a name for Do).
_SKIPPED = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)|%[^\r\n]*", re.DOTALL)
_INLINE_IMAGE = re.compile(rb"(?<!\S)BI(?!\S)")
_CLIP_TOKENS_BACKWARDS = re.compile(
    rb"(?<![^\s\[\]<>(){}/%%])(er|mc|mT|[dDLf*]T|[jJ]T|TB|oD|\*?W|\*?[nfFbBsS]|[qQ'\"])(?![^\s\])>])"
    rb"((?:\s+%s(?![^\s\[\]<>(){}/%%])){0,6})(?:\s+([^\s/\[\]()<>{}%%]+)/)?" % _REVERSED_NUMBER
)
_TEXT_SHOWN = {b"Tj", b"TJ", b"'", b'"'}
_PATH_ENDS = {b"n", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s"}


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


def _scale(matrix: Matrix) -> float:
    return math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]))


def _page_content(page: PageObject) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(part.get_object().get_data() for part in parts)


def _content_streams(page: PageObject, box: Box) -> Iterator[tuple[bytes, Box]]:
    """The decoded page content and the forms it can draw, each with its box.

    pypdf keeps each stream's decoded bytes, so decoding them here costs extract_text nothing.
    """
    if page.get("/Contents") is not None:
        yield _page_content(page), box
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for xobject in xobjects.get_object().values() if xobjects is not None else ():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield xobject.get_data(), tuple(float(value) for value in xobject.get("/BBox", box))


def might_hide_text(page: PageObject) -> bool:
    """A fast look at the content bytes for anything that could hide text; false for most pages."""
    try:
        images = _opaque_images(page)
        return any(
            (first := _next_text(data)) >= 0
            and (_stream_might_hide_text(data, box) or _image_after(data, first, images))
            for data, box in _content_streams(page, page_box(page))
        ) or _text_outside_clip(_page_content(page), page.get("/Resources"))
    except MemoryError:
        raise
    except Exception:
        return True


def _opaque_images(holder, depth: int = 0) -> set[bytes]:
    """The names of the XObjects a page (or form) draws that are, or hold, an image without a mask: drawn over
    text, they hide it."""
    resources = holder.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    names = set()
    for name, xobject in xobjects.get_object().items() if xobjects is not None else ():
        xobject = xobject.get_object()
        unmasked = not any(key in xobject for key in ("/SMask", "/Mask", "/ImageMask"))
        if (xobject.get("/Subtype") == "/Image" and unmasked) or (
            xobject.get("/Subtype") == "/Form" and depth < 2 and _opaque_images(xobject, depth + 1)
        ):
            names.add(str(name).lstrip("/").encode("latin-1", "replace"))
    return names


def _image_after(data: bytes, first_text: int, images: set[bytes]) -> bool:
    return bool(images) and any(match.group(1) in images for match in _DRAW_XOBJECT.finditer(data, first_text))


def _colour_meets_its_background(data: bytes, backwards: bytes) -> bool:
    """Text drawn in a near-white colour (on white paper), or in the colour of a box filled in the same stream.
    Both searches run on the reversed stream, where a pattern starts with its operator and the regex engine
    skips fast; colours are compared once per distinct operator text, of which a stream has few."""
    length = len(data)
    fills = sorted(
        (length - match.end(), length - match.start(), match.group(1) + match.group(2))
        for match in _SET_FILL_BACKWARDS.finditer(backwards)
    )
    starts = [start for start, _, _ in fills]
    text_colours = {
        key
        for number, (_, operator_end, key) in enumerate(fills)
        if _next_text(data, operator_end, starts[number + 1] if number + 1 < len(fills) else length) >= 0
    }
    box_colours = {
        fills[index][2]
        for match in _RECTANGLE_BACKWARDS.finditer(backwards)
        if min(abs(_number(match.group(1)[::-1]) or 0), abs(_number(match.group(2)[::-1]) or 0)) >= MIN_VISIBLE_POINTS
        and _PAINT_BACKWARDS.search(backwards, max(0, match.start() - 4), match.start())
        and (index := bisect.bisect_right(starts, length - match.end()) - 1) >= 0
    }  # filled boxes text could sit on, not rules
    boxes = [_fill_colour(key) for key in box_colours]
    for key in text_colours:
        colour = _fill_colour(key)
        if _alike(colour, PAPER) or any(_alike(colour, box) for box in boxes):
            return True
    return False


def _fill_colour(backwards_operator: bytes) -> Colour:
    """The RGB of a reversed colour operator with its operands ("gr 0 0 1" for "1 0 0 rg")."""
    operator, *operands = backwards_operator.split()
    space = {b"g": "/DeviceGray", b"gr": "/DeviceRGB", b"k": "/DeviceCMYK"}[operator]
    return _rgb(space, _backwards_numbers(tuple(operands[::-1])))


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
    if sizes and min(sizes) * min(scales + [1.0]) < SCAN_SMALL_POINTS:
        return True
    if any(
        min(abs(_number(h[::-1]) or 0), abs(_number(w[::-1]) or 0)) < SLIT_POINTS
        for h, w in _CLIP_RECT_BACKWARDS.findall(backwards)
    ):
        return True  # a clipping path too small to show text through
    if _colour_meets_its_background(data, backwards):
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


def _text_outside_clip(
    data: bytes, resources=None, ctm: Matrix = IDENTITY, clip: Box | None = None, size: float = 12.0, depth: int = 0
) -> bool:
    """Whether a stream (and the forms it draws) places text outside the clipping rectangle in force, or cannot be
    followed cheaply.

    Every real page clips (HTML converters draw each page through a window), so clipping alone cannot send a page
    to the slow pass: this follows q/Q, cm, the rectangles made the clip and the text matrix the way pypdf does,
    and finds each text-showing operator's first glyph where the visitor will. It knows no glyph widths, so text
    that starts outside the clip and runs into it takes the slow pass.
    """
    if (clip is None and b"W" not in data and b"Do" not in data) or (_next_text(data) < 0 and b"Do" not in data):
        return False  # nothing here clips, or nothing is clipped
    stripped = _SKIPPED.sub(b" ", data)
    if b"(" in stripped or b")" in stripped or (b"BI" in stripped and _INLINE_IMAGE.search(stripped)):
        return True  # a string or an inline image the scan cannot skip safely
    saved: list[tuple[Matrix, Box | None, float]] = []
    tm, leading, clipping = IDENTITY, 0.0, False
    path: list[Box | None] = []  # None: a rectangle under a rotation
    for backwards_operator, backwards_numbers, backwards_name in reversed(
        _CLIP_TOKENS_BACKWARDS.findall(stripped[::-1])
    ):
        if backwards_operator == b"q":  # the most frequent operators first, and operands read only where used
            saved.append((ctm, clip, size))
            continue
        if backwards_operator == b"Q":
            if saved:
                ctm, clip, size = saved.pop()
            continue
        operator = backwards_operator[::-1]
        numbers = [float(token[::-1]) for token in reversed(backwards_numbers.split())] if backwards_numbers else []
        if operator in _TEXT_SHOWN:
            if operator != b"Tj" and operator != b"TJ":
                tm = [*tm[:4], tm[4] - leading * tm[2], tm[5] - leading * tm[3]]  # ' and " start a new line
            if clip is not None:
                matrix = _multiply(tm, ctm)
                scaled = abs(size) * _scale(matrix)
                if _overlap(_first_glyph(matrix, scaled), clip) < CLIP_TOLERANCE - CLIP_MARGIN * scaled:
                    return True
        elif operator in (b"Td", b"TD") and len(numbers) >= 2:
            tx, ty = numbers[-2:]
            leading = -ty if operator == b"TD" else leading
            tm = [*tm[:4], tm[4] + tx * tm[0] + ty * tm[2], tm[5] + tx * tm[1] + ty * tm[3]]
        elif operator == b"BT":
            tm = IDENTITY
        elif operator == b"Tf" and numbers:
            size = numbers[-1]
        elif operator == b"Tm" and len(numbers) == 6:
            tm = numbers
        elif operator == b"T*":
            tm = [*tm[:4], tm[4] - leading * tm[2], tm[5] - leading * tm[3]]
        elif operator == b"TL" and numbers:
            leading = numbers[-1]
        elif operator == b"cm" and len(numbers) == 6:
            ctm = _multiply(numbers, ctm)
        elif operator == b"re" and len(numbers) >= 4:
            x, y, width, height = numbers[-4:]
            path.append(None if ctm[1] or ctm[2] else _mapped((x, y, x + width, y + height), ctm))
        elif operator in (b"W", b"W*"):
            clipping = True
        elif operator in _PATH_ENDS:
            if clipping and None in path:
                return True  # a rotated or skewed clip: the slow pass follows it
            if clipping and path:
                clip = _intersect(clip, _around(path))
            path, clipping = [], False
        elif operator == b"Do" and backwards_name and depth < FORM_DEPTH:
            form = _form(resources, backwards_name[::-1].decode("latin-1"))
            if form is not None and _text_outside_clip(
                form[0], form[2] or resources, _multiply(form[1], ctm), clip, size, depth + 1
            ):
                return True
    return False


def _form(resources, name: str) -> tuple[bytes, Matrix, object] | None:
    """A form XObject by name: its content, matrix and resources."""
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    xobject = xobjects.get_object().get("/" + name) if xobjects is not None else None
    xobject = xobject.get_object() if xobject is not None else None
    if xobject is None or xobject.get("/Subtype") != "/Form":
        return None
    matrix = [float(value) for value in xobject.get("/Matrix", IDENTITY)]
    return xobject.get_data(), matrix if len(matrix) == 6 else IDENTITY, xobject.get("/Resources")


def _first_glyph(matrix: Matrix, size: float) -> Box:
    """Where the first glyph of text drawn at `matrix` (text space by page space) shows, roughly."""
    return matrix[4], matrix[5], matrix[4] + GLYPH_WIDTH * size, matrix[5] + GLYPH_HEIGHT * size


def _overlap(box: Box, clip: Box) -> float:
    """How far `box` reaches into `clip` (the lesser of width and height shared); below 0: how far outside it is."""
    return min(min(box[2], clip[2]) - max(box[0], clip[0]), min(box[3], clip[3]) - max(box[1], clip[1]))


def _mapped(box: Box, matrix: Matrix) -> Box:
    """The box around `box` moved by `matrix`."""
    x0, y0, x1, y1 = box
    xs, ys = [], []
    for px, py in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        xs.append(px * matrix[0] + py * matrix[2] + matrix[4])
        ys.append(px * matrix[1] + py * matrix[3] + matrix[5])
    return min(xs), min(ys), max(xs), max(ys)


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


def _rgb(space: str, values: list[float]) -> Colour:
    """A fill colour as RGB, from gray, RGB or CMYK (also named spaces with 1, 3 or 4 components)."""
    components = COMPONENTS.get(space) or len(values)
    if len(values) != components:
        return None
    if components == 1:
        return (values[0],) * 3
    if components == 3:
        return tuple(values)
    if components == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _alike(one: Colour, other: Colour) -> bool:
    return one is not None and other is not None and max(abs(a - b) for a, b in zip(one, other)) < CONTRAST


def _around(boxes: list[Box]) -> Box:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _intersect(one: Box | None, other: Box) -> Box:
    if one is None:
        return other
    return (max(one[0], other[0]), max(one[1], other[1]), min(one[2], other[2]), min(one[3], other[3]))


@dataclass(frozen=True)
class _Graphics:
    """The part of the graphics state that decides whether text shows (saved by q, restored by Q)."""

    fill: Colour = (0.0, 0.0, 0.0)
    invisible: bool = False
    font_size: float = 12.0  # pypdf's size for text drawn before any Tf
    colour_space: str = "/DeviceGray"
    clip: Box | None = None  # the clipping path's box, on the page
    opaque: bool = True  # the fill alpha (ExtGState /ca) is 1


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

    def __init__(self, box: Box, resources=None):
        self.box = box
        self.resources = resources.get_object() if resources is not None else {}
        self.clipping = False  # a W or W* waits for the path-painting operator that ends its path
        self.graphics = _Graphics()
        self.saved: list[_Graphics] = []
        self.forms: list[tuple[_Graphics, int, Matrix, object]] = []
        self.outer = IDENTITY  # where the form being drawn sits on the page
        self.path: list[Box] = []
        self.fills: list[tuple[int, Colour, Box, bool]] = []  # (order, colour, box, opaque): boxes and images
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
            self.graphics, depth, self.outer, self.resources = self.forms.pop()
            del self.saved[depth:]

    def text(self, text: str, cm: Matrix, tm: Matrix, font: object, font_size: float) -> None:
        self.chunks.append((text, self.pending))
        self.pending = [self.open_array] if self.open_array else []

    def chunks_with_tricks(self) -> list[tuple[str, set[str]]]:
        """Every chunk pypdf reported, in order, with the tricks hiding it (none if it shows)."""
        covers = [(order, box) for order, _, box, opaque in self.fills if opaque]
        result = []
        for text, marks in self.chunks:
            tricks: set[str] = set()
            for mark in marks:
                tricks |= mark.tricks
                if any(order > mark.order and _inside(box, mark.x, mark.y) for order, box in covers):
                    tricks.add("text under a box or an image drawn over it")
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
        self.graphics = replace(self.graphics, fill=_rgb(space, values), colour_space=space)

    def _colour_space(self, operator, operands, cm, tm) -> None:
        space = str(operands[0])
        self.graphics = replace(
            self.graphics, fill=(0.0, 0.0, 0.0) if space in COMPONENTS else None, colour_space=space
        )

    def _state(self, operator, operands, cm, tm) -> None:
        """gs: a fill alpha below 1 (a highlighter) lets what lies beneath show through."""
        state = self.resources.get("/ExtGState", {}).get_object().get(str(operands[0]))
        alpha = float(state.get_object().get("/ca", 1)) if state is not None else 1.0
        self.graphics = replace(self.graphics, opaque=alpha >= 1)

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
                self.fills.append((self.order, self.graphics.fill, box, self.graphics.opaque))
        self._end_path(operator, operands, cm, tm)

    def _clip(self, operator, operands, cm, tm) -> None:
        self.clipping = True

    def _end_path(self, operator, operands, cm, tm) -> None:
        if self.clipping and self.path:
            self.graphics = replace(self.graphics, clip=_intersect(self.graphics.clip, _around(self.path)))
        self.clipping = False
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
        if _alike(self.graphics.fill, self._beneath(x, y)):
            tricks.add("text in the colour of what lies beneath it")
        if size < MIN_VISIBLE_POINTS:
            tricks.add("tiny text")
        x0, y0, x1, y1 = self.box
        if matrix[4] > x1 or matrix[5] > y1 or matrix[4] + width < x0 or matrix[5] + size < y0:
            tricks.add("text off the page")
        clip = self.graphics.clip
        if clip is not None and _overlap(_first_glyph(matrix, size), clip) < -CLIP_MARGIN * size:
            tricks.add("text outside its clipping path")
        self.order += 1
        mark = _Mark(self.order, x, y, tricks)
        self.pending.append(mark)
        self.open_array = mark if operator == b"TJ" else None

    def _beneath(self, x: float, y: float) -> Colour:
        """The colour under a point: the last opaque box drawn there so far, or the paper (None: an image)."""
        for _, colour, box, opaque in reversed(self.fills):
            if opaque and _inside(box, x, y):
                return colour
        return PAPER

    def _enter_form(self, operator, operands, cm, tm) -> None:
        """Do: a form's content is drawn in place; an image covers its unit square, opaquely unless masked."""
        xobject = self.resources.get("/XObject", {}).get_object().get(str(operands[0]))
        xobject = xobject.get_object() if xobject is not None else {}
        outer_resources = self.resources
        if xobject.get("/Subtype") == "/Image":
            matrix = _multiply(cm, self.outer)
            points = [
                (px * matrix[0] + py * matrix[2] + matrix[4], px * matrix[1] + py * matrix[3] + matrix[5])
                for px, py in ((0, 0), (1, 0), (0, 1), (1, 1))
            ]
            xs, ys = [px for px, _ in points], [py for _, py in points]
            masked = any(key in xobject for key in ("/SMask", "/Mask", "/ImageMask")) or not self.graphics.opaque
            self.order += 1
            self.fills.append((self.order, None, (min(xs), min(ys), max(xs), max(ys)), not masked))
        self.forms.append((self.graphics, len(self.saved), self.outer, outer_resources))
        self.outer = _multiply(cm, self.outer)
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            self.resources = xobject["/Resources"].get_object()

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
        b"W": _clip,
        b"W*": _clip,
        b"gs": _state,
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
    finder = HiddenTextFinder(page_box(page), page.get("/Resources"))

    def both(*chunk) -> None:
        finder.text(*chunk)
        if visitor_text is not None:
            visitor_text(*chunk)

    text = page.extract_text(
        visitor_operand_before=finder.before, visitor_operand_after=finder.after, visitor_text=both
    )
    return text, finder.chunks_with_tricks()
