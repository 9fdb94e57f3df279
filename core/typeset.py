"""How wide a line of LaTeX is once typeset, in em — to break long sums and to fit equations to a box.

An estimate from KaTeX's own glyph widths (Computer Modern): digits ½ em, italic letters ≈ 0.55 em,
binary operators (+ − ×) with their medium spaces, relations (= ←) with their thick spaces; sub- and
superscripts at 70 %; a fraction as wide as its wider part. It errs on the wide side by a few per cent,
so that an equation scaled to its estimate always fits.
"""
from __future__ import annotations

import re
from typing import Sequence

SCRIPT = 0.7  # sub- and superscripts are set at 70 % of the size
BINARY_SPACE = 2 * 4 / 18  # a medium space either side of + − ×
RELATION_SPACE = 2 * 5 / 18  # a thick space either side of = ←
LETTER = 0.55
TEXT_SPACE = 0.333  # a word space in \text
UNKNOWN_COMMAND = 0.8

_GLYPHS = {".": 0.278, ",": 0.278, "(": 0.389, ")": 0.389, "[": 0.278, "]": 0.278, "|": 0.278, "'": 0.275,
           "!": 0.278, "/": 0.5, ":": 0.278, ";": 0.278, "%": 0.833, "*": 0.5}
_BINARY = {"+": 0.778, "-": 0.778, "\\times": 0.778, "\\cdot": 0.278, "\\pm": 0.778}
_RELATION = {"=": 0.778, "<": 0.778, ">": 0.778, "\\leftarrow": 1.0, "\\approx": 0.778, "\\to": 1.0,
             "\\rightarrow": 1.0, "\\ne": 0.778, "\\le": 0.778, "\\ge": 0.778}
_COMMANDS = {"\\sum": 1.056, "\\ln": 0.833, "\\exp": 1.39, "\\tanh": 2.0, "\\max": 1.56, "\\log": 1.28,
             "\\delta": 0.444, "\\eta": 0.497, "\\beta": 0.566, "\\lambda": 0.583, "\\sigma": 0.571,
             "\\partial": 0.566, "\\quad": 1.0, "\\qquad": 2.0, "\\,": 0.167, "\\;": 0.278, "\\:": 0.222,
             "\\!": -0.167, "\\ ": 0.333, "\\textstyle": 0.0, "\\displaystyle": 0.0, "\\left": 0.0,
             "\\right": 0.0, "\\limits": 0.0, "\\\\": 0.0, "\\mathrm": 0.0, "\\infty": 1.0, "\\cdots": 1.17,
             "\\ldots": 1.17, "\\dots": 1.17}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&]|\s+|.")


def _tokens(latex: str) -> list[str]:
    """The tokens of ``latex``, a run of whitespace as one " " (it counts only inside \\text)."""
    return [" " if t.isspace() else t for t in _TOKEN.findall(re.sub(r"\\\\\[[^\]]*\]", "", latex))]


class _Reader:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.at = tokens, 0

    def next(self, spaces: bool = False) -> str | None:
        """The next token; whitespace, which maths mode ignores, skipped unless ``spaces``."""
        while self.at < len(self.tokens):
            self.at += 1
            if spaces or self.tokens[self.at - 1] != " ":
                return self.tokens[self.at - 1]
        return None

    def peek(self) -> str | None:
        """The next token that is not whitespace, left unread."""
        at = self.at
        while at < len(self.tokens) and self.tokens[at] == " ":
            at += 1
        return self.tokens[at] if at < len(self.tokens) else None

    def group(self) -> float:
        """The width of the next argument: a {group} or a single token."""
        token = self.next()
        if token == "{":
            return self.sequence(until="}")
        return 0.0 if token is None else self.atom(token, previous=None)

    def raw_group(self) -> str:
        """The text of the next {group}, as written (for \\text and \\operatorname)."""
        depth, out = 0, []
        while (token := self.next(spaces=depth > 0)) is not None:
            if token == "{":
                depth += 1
                if depth == 1:
                    continue
            elif token == "}":
                depth -= 1
                if depth == 0:
                    break
            out.append(token)
            if depth == 0:
                break
        return "".join(out)

    def atom(self, token: str, previous: str | None) -> float:
        if token in _BINARY:  # a sign at the start, after "(" or after a relation is unary: no spaces
            unary = previous is None or previous in ("(", "[", "{", "&") or previous in _RELATION \
                or previous in _BINARY
            return _BINARY[token] + (0.0 if unary else BINARY_SPACE)
        if token in _RELATION:
            return _RELATION[token] + RELATION_SPACE
        if token in ("\\frac", "\\dfrac", "\\tfrac"):
            return max(self.group(), self.group()) + 0.24
        if token in ("\\text", "\\operatorname", "\\textbf"):
            raw = self.raw_group()
            return 0.5 * len(raw.replace(" ", "")) + TEXT_SPACE * raw.count(" ") \
                + (0.17 if token == "\\operatorname" else 0.0)
        if token == "\\underbrace":
            body = self.group()
            if self.peek() == "_":
                self.next()
                return max(body, SCRIPT * self.group())
            return body
        if token in _COMMANDS:
            return _COMMANDS[token]
        if token.startswith("\\"):
            return UNKNOWN_COMMAND
        if token.isdigit():
            return 0.5
        if token.isalpha():
            return LETTER
        return _GLYPHS.get(token, 0.6)

    def sequence(self, until: str | None = None) -> float:
        width, previous, base = 0.0, None, 0.0
        while (token := self.next()) is not None:
            if token == until:
                break
            if token in ("^", "_"):
                script = SCRIPT * self.group()
                if self.peek() in ("^", "_"):  # x^a_b: one above the other
                    self.next()
                    script = max(script, SCRIPT * self.group())
                width += script
                continue
            if token == "&":
                previous = token
                continue
            if token == "{":
                base = self.sequence(until="}")
                token = "}"  # what follows a group follows an operand: a + after it is binary
            else:
                base = self.atom(token, previous)
            width += base
            previous = token
        return width


def width(latex: str) -> float:
    """About how wide ``latex`` is typeset (display style), in em."""
    return _Reader(_tokens(latex)).sequence()


def aligned_width(lines: Sequence[str]) -> float:
    """The width of an ``aligned`` block, in em: its widest left side (before ``&``) plus its widest right."""
    left = right = 0.0
    for line in lines:
        head, _, tail = line.partition("&")
        left, right = max(left, width(head)), max(right, width(tail))
    return left + right
