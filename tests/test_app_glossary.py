"""Plain words: every term a learner may not know is explained where it appears, in words written once."""
import re

import pytest

from apptest import no_errors, open_page, settle
from ui.glossary import GLOSSARY, explain, explain_value

TERMS = ["zero-rule baseline", "spread of folds", "epoch", "tick", "normalisation", "mini-batch", "learning rate",
         "delta", "activation", "validation"]


def test_every_term_has_one_plain_line():
    for term in TERMS:
        assert term in GLOSSARY
    for term, line in GLOSSARY.items():
        assert "\n" not in line and 20 < len(line) <= 240, term
        assert not re.search(r"[$*_`<>]|:\w+\[|\]\(", line), term  # nothing Markdown would read as markup
    with pytest.raises(KeyError, match="no entry for 'backprop'"):
        explain("backprop")
    assert explain_value("output 2") == GLOSSARY["output"] and explain_value("z") == GLOSSARY["weighted sum"]


def helps(at) -> dict[str, str]:
    """Label → tooltip of every widget and metric on the page."""
    found = {}
    for kind in ("number_input", "selectbox", "slider", "select_slider", "radio", "toggle", "metric"):
        for element in at.get(kind):
            found[element.label] = element.help or ""
    return found


def test_the_train_page_explains_its_settings():
    at = open_page("pages/3_Train.py")
    no_errors(at)
    shown = helps(at)
    for label, term in [("Epochs", "epoch"), ("Learning rate η", "learning rate"), ("Activation", "activation"),
                        ("Updates", "mini-batch"), ("Mini-batch size", "mini-batch"),
                        ("Normalisation", "normalisation"), ("Validation share", "validation"), ("Pace", "tick"),
                        ("Loss chart", "epoch error")]:
        assert explain(term) in shown[label], label


def test_cross_validation_explains_its_result():
    at = open_page("pages/4_Cross_validation.py")
    form = {e.label: e for e in at.number_input}
    form["Epochs"].set_value(2)
    form["Folds k"].set_value(2)
    next(b for b in at.button if b.label == "Run cross-validation").click().run()  # 2 folds of 2 epochs
    settle(at, "cv_job")
    no_errors(at)
    shown = helps(at)
    assert shown["Zero-rule baseline"] == explain("zero-rule baseline")
    assert shown["Spread of the folds"] == explain("spread of folds")
    assert shown["Folds k"] == explain("fold") and explain("normalisation") in shown["Normalise on all rows (the tutorial)"]


def test_the_step_through_explains_each_value_and_the_learning_rate():
    at = open_page("pages/2_Step_through.py", sample="3", step="1")
    no_errors(at)
    assert explain("learning rate") in helps(at)["Learning rate η"]
    values = {m.value.split("**")[1]: m.help for m in at.markdown if m.value.startswith("**") and " = `" in m.value}
    assert values == {"z": explain("weighted sum"), "output": explain("output")}
    at.segmented_control(key="step_phase").set_value("backward").run()
    values = {m.value.split("**")[1]: m.help for m in at.markdown if m.value.startswith("**") and " = `" in m.value}
    assert values == {"delta": explain("delta")}


def test_the_data_page_explains_normalisation():
    at = open_page("pages/5_Data.py")
    assert explain("normalisation") in helps(at)["Normalisation"]
