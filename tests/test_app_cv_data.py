"""Cross-validation and Data pages."""
import pytest

from apptest import no_errors, open_page, texts


def test_reproduce_the_tutorial_shows_93_333():
    at = open_page("pages/4_Cross_validation.py")
    at.button(key="reproduce").click().run()
    no_errors(at)
    assert at.metric[0].value == "93.333%"
    assert "Mean Accuracy: 93.333%" in at.code[0].value and at.code[0].value.startswith("Scores: [")
    at.button(key="reproduce").click().run()
    assert len(at.session_state["cv_runs"]) == 2


def test_other_settings_run_and_are_listed_side_by_side():
    at = open_page("pages/4_Cross_validation.py")
    at.button(key="reproduce").click().run()
    at.number_input[0].set_value(3)
    at.number_input[2].set_value(50)
    at.button[1].click().run()  # the form's submit button
    no_errors(at)
    runs = at.session_state["cv_runs"]
    assert len(runs) == 2 and len(runs[1]["result"].folds) == 3
    table = at.dataframe[0].value
    assert list(table["run"]) == ["the tutorial", "run 2"]


BAD_FILES = [
    ("text.csv", b"1,2,a\n1,x,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): 'x' is not a number"),
    ("missing.csv", b"1,2,a\n1,,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): missing value"),
    ("ragged.csv", b"1,2,a\n1,2\n3,4,a\n5,6,b\n", "row 2 has 2 columns, but row 1 has 3"),
    ("one_class.csv", b"1,2,a\n3,4,a\n5,6,a\n", "single class"),
    ("few_rows.csv", b"1,2,a\n3,4,b\n5,6,c\n", "3 rows for 3 classes: need at least 6"),
    ("wide.csv", (",".join(["1"] * 65) + ",a\n" + ",".join(["2"] * 65) + ",b\n") * 2, "the limit is 64"),
    ("tall.csv", b"1,a\n2,b\n" * 50_001, "more than 100,000 rows"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("empty.csv", b"", "empty"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES)
def test_a_bad_csv_gets_its_message_and_changes_nothing(name, content, message):
    at = open_page("pages/5_Data.py")
    data_before = at.session_state["dataset"]
    net_before = at.session_state["network"].copy()
    at.file_uploader(key="csv_upload").set_value((name, content if isinstance(content, bytes) else content.encode(),
                                                  "text/csv")).run()
    no_errors(at)
    shown = " ".join(e.value for e in at.error)
    assert message in shown and name in shown and "unchanged" in shown
    assert at.session_state["dataset"] is data_before
    assert at.session_state["network"].same_weights(net_before)


def test_a_good_csv_becomes_the_dataset_and_reshapes_the_network():
    at = open_page("pages/5_Data.py")
    rows = [f"{i},{i % 3},{i * 0.5},{10 - i},{'yes' if i % 2 else 'no'}" for i in range(12)]
    at.file_uploader(key="csv_upload").set_value(("mine.csv", "\n".join(rows).encode(), "text/csv")).run()
    no_errors(at)
    assert at.session_state["dataset"].n_features == 4 and at.session_state["dataset"].class_names == ["no", "yes"]
    assert at.session_state["network"].layer_sizes == [4, 5, 2]
    assert "re-initialised" in texts(at) or any("re-initialised" in i.value for i in at.info)
    at.button(key="use_seeds").click().run()
    assert at.session_state["dataset"].n_rows == 210 and at.session_state["network"].layer_sizes == [7, 5, 3]


def test_constant_column_and_single_row_class_still_train():
    at = open_page("pages/5_Data.py")
    rows = [f"{i},5.0,{i % 4},{'a' if i < 6 else 'b'}" for i in range(12)] + ["3,5.0,1,c", "4,5.0,2,c"]
    rows.append("7,5.0,1,d")
    at.file_uploader(key="csv_upload").set_value(("odd.csv", "\n".join(rows).encode(), "text/csv")).run()
    no_errors(at)
    train = open_page("pages/3_Train.py")
    train.session_state["dataset"] = at.session_state["dataset"]
    train.session_state["network"] = at.session_state["network"]
    train.run()
    train.number_input(key="_w_tr_epochs").set_value(20).run()
    train.button(key="train_start").click().run()
    while train.session_state["train_running"]:
        train.run()
    no_errors(train)
    assert train.session_state["trainer"].trainer.epoch == 20
