"""Typeset widths of LaTeX lines, and the step-through's long sums broken by width (core.typeset, core.steps)."""
import numpy as np
import pytest

from core import ExperimentSettings, load_seeds, prepare, toy_network, walk_through
from core.steps import LINE_EM, aligned_sum
from core.typeset import aligned_width, width


def test_widths_follow_katex_glyphs():
    assert width("0.5") == pytest.approx(0.5 + 0.278 + 0.5)
    assert width("a + b") == pytest.approx(2 * 0.55 + 0.778 + 8 / 18)  # a binary operator has its spaces
    assert width("-1") == pytest.approx(0.778 + 0.5)  # a leading minus is a sign: no spaces
    assert width("x^{2}") == pytest.approx(0.55 + 0.7 * 0.5)  # a superscript at 70 %
    assert width("\\frac{1}{1 + e^{-z}}") == pytest.approx(width("1 + e^{-z}") + 0.24)
    assert width("z &= b") == width("z = b")  # the alignment mark takes no room


def test_an_aligned_block_is_its_widest_left_plus_its_widest_right():
    lines = ["z &= 1 + 2", "&\\quad + 3 + 4 + 5", "o &= 0.5"]
    assert aligned_width(lines) == pytest.approx(width("z") + width("\\quad + 3 + 4 + 5"))


def test_a_long_sum_breaks_where_the_budget_ends():
    terms = ["0.1 \\times 0.2"] * 5 + [f"0.{k}23456789 \\times 0.{k}54321" for k in range(1, 5)]
    lines = aligned_sum(terms)
    assert len(lines) > 1
    body = [lines[0]] + [line.removeprefix("&\\quad + ") for line in lines[1:]]
    assert all(width(line) <= LINE_EM for line in body)
    assert " + ".join(body) == " + ".join(terms)  # every term, once, in order
    joined = [a + " + " + b.split(" + ")[0] for a, b in zip(body, body[1:])]
    assert all(width(line) > LINE_EM for line in joined)  # no line could have taken the next term
    assert aligned_sum(terms, 3)[0] == " + ".join(terms[:3])  # a fixed count still works (core.chain)


@pytest.mark.parametrize("digits", [4, 6, None])
def test_every_step_of_a_seeds_pass_stays_within_a_column(digits):
    """The widest equation of a pass on the seeds data, as the page sizes it: ≤ 24 em with 4 or 6 digits
    (so it fits a 400 px column at 16 px), and even with every digit no wider than 36 em."""
    data = load_seeds()
    experiment = prepare(data, ExperimentSettings())
    walk = walk_through(experiment.network, experiment.inputs[3], np.eye(3)[data.labels[3]], 0.5,
                        experiment.input_names, data.class_names, digits=digits)
    widest = max(aligned_width(step.latex) for step in walk.steps)
    assert widest <= (24 if digits in (4, 6) else 36), widest


def test_the_cli_text_is_not_broken():
    walk = walk_through(toy_network(), [1, 0], [0, 1], 0.5)
    assert all("&" not in line and "\\\\" not in line for step in walk.steps for line in step.text)


def test_words_in_text_keep_their_spaces_and_a_plus_after_a_group_is_binary():
    """Maths mode ignores spaces, \\text keeps them; a + after {group} joins two operands (spaces both sides)."""
    assert width(r"\text{a b c}") == pytest.approx(width(r"\text{abc}") + 2 * 0.333)
    assert width(r"\text{ and its update adds }") >= 9.35  # KaTeX: about 9.35 em in Computer Modern
    assert width(r"{a} + b") == pytest.approx(width(r"a + b"))
    assert width(r"\mathrm{d}x") == pytest.approx(width("dx"))  # a font switch, no width of its own
