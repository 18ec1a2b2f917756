"""Page texts -> one clean letter text: characters normalized, page furniture (page numbers,
headers and footers repeated on every page) removed, words hyphenated across lines rejoined.
Line breaks are kept: the layout parsers read headings and labels line by line."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from imr.models import Page

_CHARACTER_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u00ad": None, "\u200b": None, "\ufeff": None, "\ufffe": None, "\x0c": "\n", "\x0b": "\n",
    "\u2022": "-", "\u25cf": "-", "\u00b7": "-",
    # Invisible characters that split a label ("Upheld", "Date of Injury") without showing: zero-width
    # joiners and bidi controls go; Unicode's own line breaks become line breaks.
    "\u200c": None, "\u200d": None, "\u2060": None, "\u200e": None, "\u200f": None,
    "\u202a": None, "\u202b": None, "\u202c": None, "\u202d": None, "\u202e": None,
    "\u2066": None, "\u2067": None, "\u2068": None, "\u2069": None,
    "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
    # Cyrillic and Greek letters drawn like Latin ones: in an English letter they only disguise words.
    **dict(zip("аеорсухіјАВЕКМНОРСТХІЈοΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "aeopcyxijABEKMHOPCTXIJoABEHIKMNOPTXYZ")),
})
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:-\s*)?(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|\d{1,3})(?:\s*-)?\s*$", re.IGNORECASE)
_CASE_NUMBER = re.compile(r"\bCM\s?\d{2}\s?-\s?\d{5,8}\b", re.IGNORECASE)
# A running footer or header that names the page: "Independent Medical Review | CM13-0011872 | Page 3 of 4".
_PAGE_FOOTER_LINE = re.compile(r"^.{0,100}\bpage\s+\d+\s+(?:of|/)\s+\d+\b.{0,60}$", re.IGNORECASE)
_PAGE_MENTION = re.compile(r"\bpage\s+\d+|^\s*-?\s*\d{1,3}\s*-?\s*$", re.IGNORECASE)
# Short of the case number itself, a running header holds little: a label, a page number.
_HEADER_EXTRA_CHARS = 25
# Confidentiality notices stamped on every page; a line like this seen twice is furniture wherever it is.
_NOTICE_LINE = re.compile(r"^(?:confidential|privileged|protected health information|this (?:document|letter|communication|fax|"
                          r"transmission|page) (?:contains|is|may contain))\b.{0,150}$", re.IGNORECASE)
# How far down the first page a letter's label block reaches.
_LABEL_BLOCK_LINES = 25
_DIGIT = re.compile(r"\d")
_HYPHEN_BREAK = re.compile(r"([a-z])-\n[ ]*([a-z])")
_SPACES = re.compile(r"[ ]{2,}")
# Lines this close to a page's edges are where headers and footers sit.
_EDGE_LINES = 4


def normalize_characters(text: str) -> str:
    if not text.isascii():
        text = _SURROGATES.sub("\ufffd", text)  # a lone surrogate is no character: mark it, never fail on it
        text = re.sub(r"\u00ad[ \t]*\r?\n[ \t]*", "", text)  # a soft hyphen at a line end joins the word
        text = unicodedata.normalize("NFKC", text)  # also splits ligatures such as "ﬁ"
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHARACTER_MAP)
    return _CONTROL_CHARACTERS.sub("", text)


# OCR reads digits as look-alike letters inside dates and case numbers, and mangles short labels.
_OCR_DIGITS = str.maketrans("OoIlSB", "001158")
_OCR_DATE = re.compile(r"\b[\dOoIlSB]{1,2}[/-][\dOoIlSB]{1,2}[/-][\dOoIlSB]{2,4}\b")
_OCR_CASE_NUMBER = re.compile(r"\b(C\s?M\s?)([\dOoIlS]{2}\s?-\s?[\dOoIlS]{5,8})\b")
# A speck or a scanner edge read as a mark of its own at either end of a line: "... #30: |", "~ 2. ...".
_OCR_SPECKS = re.compile(r"(?m)[ \t]+[|~`'\".,_]{1,2}[ \t]*$|^[ \t]*[|~`'\".,_]{1,2}[ \t]+(?=\S)")
_OCR_LABELS = ((re.compile(r"\b[Q0O][tT][yvV]\b"), "Qty"), (re.compile(r"\bUphe[l1I]d\b"), "Upheld"),
               (re.compile(r"\bOvertume?d\b|\b0verturned\b"), "Overturned"))


def fix_ocr_confusions(text: str) -> str:
    """Look-alike characters put back where only digits belong (dates, case numbers) and in the few
    labels a decision depends on, and specks read as stray marks at line ends dropped; used on OCR
    readings only, never on a text layer."""
    text = _OCR_SPECKS.sub("", text)
    text = _OCR_DATE.sub(lambda m: m.group(0).translate(_OCR_DIGITS) if any(c.isdigit() for c in m.group(0)) else m.group(0), text)
    text = _OCR_CASE_NUMBER.sub(lambda m: m.group(1) + m.group(2).translate(_OCR_DIGITS), text)
    for pattern, label in _OCR_LABELS:
        text = pattern.sub(label, text)
    return text


def clean_pages(pages: list[Page], read_by_ocr: bool = False) -> str:
    """The letter's text with furniture removed, pages joined by a newline."""
    texts = [fix_ocr_confusions(p.text) if read_by_ocr else p.text for p in pages]
    page_lines = [[line.strip() for line in _SPACES.sub(" ", normalize_characters(text)).split("\n")] for text in texts]
    if len(page_lines) == 1:
        page_lines = _split_at_page_numbers(page_lines[0])
    furniture = _repeated_edge_lines(page_lines)
    seen_twice = Counter(line for lines in page_lines for line in lines if _NOTICE_LINE.match(line))
    notices = {line for line, n in seen_twice.items() if n >= 2}
    kept: list[str] = []
    case_numbers_seen: set[str] = set()
    furniture_seen: set[str] = set()
    for index, lines in enumerate(page_lines):
        for position, line in enumerate(lines):
            numbered = _DIGIT.search(line) is not None  # page numbers, footers and case numbers all hold digits
            if numbered and _is_page_marker(line) or line in notices:
                continue
            # A running header's first copy stays (on page one it may be the label itself), and so does
            # any copy in the opening label block: a table read column-wise repeats it as a value.
            in_label_block = index == 0 and position < _LABEL_BLOCK_LINES
            if line in furniture:
                if line in furniture_seen and not in_label_block:
                    continue
                furniture_seen.add(line)
            header = _case_number_header(line) if numbered else None
            if header:
                if header in case_numbers_seen and not in_label_block:
                    continue
                case_numbers_seen.add(header)
            kept.append(line)
    text = "\n".join(kept)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_page_marker(line: str) -> bool:
    """A page number alone ("Page 2 of 4", "- 2 -") or a footer naming the page."""
    return bool(_PAGE_NUMBER_LINE.match(line) or _PAGE_FOOTER_LINE.match(line))


def _split_at_page_numbers(lines: list[str]) -> list[list[str]]:
    """A text file saved from a PDF keeps its page numbers but not its pages: cut after each page
    number line, so running headers and footers are found at the edges of the pages again."""
    pages: list[list[str]] = [[]]
    for line in lines:
        pages[-1].append(line)
        if _is_page_marker(line):
            pages.append([])
    return [page for page in pages if any(page)]


def _case_number_header(line: str) -> str | None:
    """The case number, when a line holds little else (a running header, or the label's own line)."""
    match = _CASE_NUMBER.search(line)
    if match and len(_CASE_NUMBER.sub("", line).strip(" :#.-|")) <= _HEADER_EXTRA_CHARS:
        return re.sub(r"\s", "", match.group(0)).upper()
    return None


def _repeated_edge_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines found near the top or bottom of several pages: running headers and footers. A line that
    runs on into a lowercase next line is a sentence broken at a page edge, never furniture."""
    if len(page_lines) < 2:
        return set()
    counts: Counter[str] = Counter()
    sentence_parts: set[str] = set()
    for lines in page_lines:
        content = [line for line in lines if line]
        counts.update(set(content[:_EDGE_LINES] + content[-_EDGE_LINES:]))
        sentence_parts.update(line for line, following in zip(content, content[1:])
                              if following[:1].islower() and (line[-1:].islower() or line.endswith((",", ";")))
                              and not _CASE_NUMBER.search(line))
    # Headings, label lines and wrapped citations can open two pages by chance. Furniture never ends
    # in a colon; it names the case or the page, or it stands on every page (on just two pages, only
    # if it is not a sentence running on into the next line).
    pages = len(page_lines)

    def is_furniture(line: str, n: int) -> bool:
        if n < 2 or len(line) < 4 or line.endswith(":"):
            return False
        if _CASE_NUMBER.search(line) or _PAGE_MENTION.search(line):
            return True
        # A line starting in lower case is the end of a sentence ("medically necessary."), not a header.
        return n == pages and not line[:1].islower() and (pages >= 3 or line not in sentence_parts)

    return {line for line, n in counts.items() if is_furniture(line, n)}


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, so offsets stay those of the original text. Searching this with
    a lower-case pattern is several times faster than an IGNORECASE search of the original."""
    return text.translate(_ASCII_LOWER)


def lower_pattern(pattern: str) -> str:
    r"""A regex source in lower case, escapes and group names kept (r"\S" stays r"\S"), for use on
    ascii_lower text."""
    return re.sub(r"\\.|\(\?P<\w+>|[A-Z]", lambda m: m.group(0) if len(m.group(0)) > 1 else m.group(0).lower(), pattern)


def collapse_whitespace(text: str) -> str:
    """Wrapped prose -> one line: for values taken from the text (treatments, rationales, citations)."""
    return " ".join(text.split())
