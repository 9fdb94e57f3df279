"""Cross-validation and Data pages."""
import pytest

from apptest import errors, lesson, no_errors, open_page, settle


def test_reproduce_the_tutorial_shows_93_333():
    at = open_page("pages/4_Cross_validation.py")
    at.button(key="reproduce").click().run()
    settle(at, "cv_job")
    no_errors(at)
    assert at.metric[0].value == "93.333%"
    assert "Mean Accuracy: 93.333%" in at.code[0].value and at.code[0].value.startswith("Scores: [")
    at.button(key="reproduce").click().run()
    settle(at, "cv_job")
    assert len(lesson(at).cv_runs) == 2


def test_other_settings_run_and_are_listed_side_by_side():
    at = open_page("pages/4_Cross_validation.py")
    at.button(key="reproduce").click().run()
    settle(at, "cv_job")
    at.number_input[0].set_value(3)
    at.number_input[2].set_value(50)
    next(b for b in at.button if b.label == "Run cross-validation").click().run()
    settle(at, "cv_job")
    no_errors(at)
    runs = lesson(at).cv_runs
    assert len(runs) == 2 and len(runs[1].result.folds) == 3
    table = at.dataframe[0].value
    assert list(table["run"]) == ["the tutorial", "run 2"]


def test_a_long_cross_validation_stops_part_way_when_told():
    at = open_page("pages/4_Cross_validation.py")
    at.number_input[0].set_value(20)
    at.number_input[2].set_value(5000)
    at.text_input[0].set_value("64,64")
    next(b for b in at.button if b.label == "Run cross-validation").click().run()
    at.button(key="cv_stop").click().run()
    settle(at, "cv_job", timeout=5)
    result = lesson(at).cv_runs[-1].result
    assert result.stopped and len(result.folds) < 20 and result.folds[-1].stop_reason == "stopped by the user"


BAD_FILES = [
    ("text.csv", b"1,2,a\n1,x,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): 'x' is not a number"),
    ("missing.csv", b"1,2,a\n1,,b\n3,4,a\n5,6,b\n", "row 2, column 2 (feature 2): missing value"),
    ("ragged.csv", b"1,2,a\n1,2\n3,4,a\n5,6,b\n", "row 2 has 2 columns, but row 1 has 3"),
    ("one_class.csv", b"1,2,a\n3,4,a\n5,6,a\n", "single class"),
    ("few_rows.csv", b"1,2,a\n3,4,b\n5,6,c\n", "3 rows for 3 classes: need at least 6"),
    ("wide.csv", (",".join(["1"] * 65) + ",a\n" + ",".join(["2"] * 65) + ",b\n") * 2, "64"),
    ("tall.csv", b"1,a\n2,b\n" * 50_001, "100,000 rows"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("empty.csv", b"", "empty"),
    ("classes.csv", "".join(f"{i},c{i}\n{i},c{i}\n" for i in range(60)).encode(), "50"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES)
def test_a_bad_csv_gets_its_message_and_changes_nothing(name, content, message):
    at = open_page("pages/5_Data.py")
    before = lesson(at)
    net_before = before.network.copy()
    at.file_uploader(key="csv_upload").set_value((name, content if isinstance(content, bytes) else content.encode(),
                                                  "text/csv")).run()
    no_errors(at)
    shown = errors(at)
    assert message in shown and name in shown and "unchanged" in shown
    assert lesson(at) is before and lesson(at).dataset.n_rows == 210
    assert lesson(at).network.same_weights(net_before)


def test_a_good_csv_becomes_the_dataset_and_reshapes_the_network():
    at = open_page("pages/5_Data.py")
    rows = [f"{i},{i % 3},{i * 0.5},{10 - i},{'yes' if i % 2 else 'no'}" for i in range(12)]
    at.file_uploader(key="csv_upload").set_value(("mine.csv", "\n".join(rows).encode(), "text/csv")).run()
    no_errors(at)
    assert lesson(at).dataset.n_features == 4 and lesson(at).dataset.class_names == ["no", "yes"]
    assert lesson(at).network.layer_sizes == [4, 5, 2]
    assert any("re-initialised" in i.value for i in at.info)
    at.button(key="use_seeds").click().run()
    assert lesson(at).dataset.n_rows == 210 and lesson(at).network.layer_sizes == [7, 5, 3]


def test_playground_data_flows_into_every_page():
    at = open_page("app.py")
    at.switch_page("pages/5_Data.py").run()
    at.selectbox(key="gen_kind").set_value("spiral")
    at.slider(key="gen_noise").set_value(10)
    next(b for b in at.button if b.label == "Make the data").click().run()
    no_errors(at)
    assert lesson(at).dataset.name.startswith("Spiral") and lesson(at).network.layer_sizes == [2, 5, 2]
    for page in ("pages/2_Step_through.py", "pages/3_Train.py", "pages/1_Network.py", "app.py"):
        at.switch_page(page).run()
        no_errors(at)
        assert "Spiral" in " ".join(c.value for c in at.sidebar.caption)


def test_constant_column_and_single_row_class_still_train():
    at = open_page("app.py")
    at.switch_page("pages/5_Data.py").run()
    rows = [f"{i},5.0,{i % 4},{'a' if i < 6 else 'b'}" for i in range(12)] + ["3,5.0,1,c", "4,5.0,2,c"]
    rows.append("7,5.0,1,d")
    at.file_uploader(key="csv_upload").set_value(("odd.csv", "\n".join(rows).encode(), "text/csv")).run()
    no_errors(at)
    at.switch_page("pages/3_Train.py").run()
    at.number_input(key="_w_tr_epochs").set_value(20).run()
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    assert lesson(at).epochs_trained == 20
