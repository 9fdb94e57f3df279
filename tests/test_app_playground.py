"""The Playground page and "what the network learns" on the other pages, in AppTest."""
import json
import numpy as np
from streamlit.proto.WidgetStates_pb2 import WidgetState

from apptest import charts, lesson, no_errors, open_page, settle, texts
from core import Plane, forward, landscape, playground, prepare
from ui.lesson import from_snapshot, to_snapshot


def playground_page():
    """A fresh session on the Playground, with 2-D data made there (a circle, Playground's settings)."""
    at = open_page("app.py")
    at.switch_page("pages/7_Playground.py").run()
    assert "Make 2-D data" in at.button(key="pg_make").label
    at.button(key="pg_make").click().run()
    no_errors(at)
    return at


def chart_named(at, trace_name):
    return next(c for c in charts(at) if c.data and c.data[0].name == trace_name)


def test_a_fresh_session_is_offered_2d_data_and_gets_the_playground():
    at = playground_page()
    data = lesson(at).dataset
    assert data.n_features == 2 and data.name.startswith("Circle") and lesson(at).source["kind"] == "playground"
    assert lesson(at).network.layer_sizes == [2, 4, 2, 2] and lesson(at).settings.activation == "tanh"
    maps = next(c for c in charts(at) if len([t for t in c.data if t.type == "heatmap"]) > 1)
    assert len([t for t in maps.data if t.type == "heatmap"]) == 2 + 4 + 2 + 2
    assert chart_named(at, "regions") and "Epoch 0 of 1,000" in texts(at).replace("*", "")


def test_a_spiral_trained_a_few_epochs_shows_cores_landscape():
    at = playground_page()
    at.selectbox(key="_w_pg_kind").set_value("spiral").run()
    at.slider(key="_w_pg_noise").set_value(20).run()
    at.text_input(key="_w_pg_hidden").set_value("8,8").run()
    at.number_input(key="_w_pg_l2").set_value(0.001).run()
    for _ in range(3):
        at.button(key="pg_step").click().run()
    no_errors(at)
    current = lesson(at)
    assert current.dataset.name.startswith("Spiral (200 points, noise 20 %")
    assert current.epochs_trained == 3 and len(current.run.history) == 3 and current.settings.l2 == 0.001
    assert current.network.layer_sizes == [2, 8, 8, 2]
    experiment = prepare(current.dataset, current.settings)
    view = landscape(current.network, Plane.data(), (playground.DOMAIN, playground.DOMAIN), experiment.to_inputs, 50)
    regions = chart_named(at, "regions").data[0]
    z, confidence = np.asarray(regions.z), np.asarray(regions.customdata)
    assert np.array_equal(np.floor(z), view.predicted) and np.array_equal(confidence, view.confidence)
    a, b = 31, 7
    point = experiment.to_inputs(np.array([[view.xs[b], view.ys[a]]]))[0]
    assert confidence[a, b] == forward(current.network, point).output.max()
    assert f"training loss {current.run.history.loss[-1]:.4f}" in texts(at).replace("*", "")


def test_learning_settings_change_mid_run_without_a_fresh_network():
    at = playground_page()
    at.button(key="pg_step").click().run()
    at.button(key="pg_step").click().run()
    before = lesson(at).network.copy()
    at.number_input(key="_w_pg_lr").set_value(0.3).run()
    assert lesson(at).network.same_weights(before) and lesson(at).epochs_trained == 2
    at.button(key="pg_step").click().run()
    assert lesson(at).epochs_trained == 3 and lesson(at).settings.learning_rate == 0.3
    at.number_input(key="_w_pg_epochs").set_value(4).run()
    at.button(key="pg_step").click().run()  # the last epoch: finished
    assert lesson(at).run.status == "finished"
    assert at.button(key="pg_play").disabled and at.button(key="pg_step").disabled
    at.number_input(key="_w_pg_epochs").set_value(6).run()  # more epochs: it can go on
    at.button(key="pg_step").click().run()
    assert lesson(at).epochs_trained == 5 and len(lesson(at).run.history) == 5
    at.text_input(key="_w_pg_hidden").set_value("3").run()  # the shape: a fresh network, epoch 0
    assert lesson(at).network.layer_sizes == [2, 3, 2] and lesson(at).run is None


def test_a_click_on_a_point_opens_its_pass_in_the_step_through():
    at = playground_page()
    chart = next(e for e in at.get("plotly_chart") if e.proto.id.endswith("-pg_landscape"))
    states = at._tree.get_widget_states()  # what the browser sends when point 17 is clicked
    selection = {"points": [{"customdata": 17, "curve_number": 2, "point_index": 3}], "point_indices": [3],
                 "box": [], "lasso": []}
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps({"selection": selection})))
    at._run(states)
    no_errors(at)
    step = lesson(at).step
    assert (step.source, step.row, step.index) == ("row", 17, 0)
    assert "row 17 of Circle" in " ".join(p.proto.text for p in at.get("progress"))  # now on the step-through


def test_playground_on_regression_data_draws_the_predicted_surface():
    at = playground_page()
    at.selectbox(key="_w_pg_kind").set_value("bump").run()
    no_errors(at)
    assert lesson(at).dataset.is_regression and lesson(at).network.layer_sizes == [2, 4, 2, 1]
    at.button(key="pg_step").click().run()
    surface = chart_named(at, "surface").data[0]
    experiment = prepare(lesson(at).dataset, lesson(at).settings)
    view = landscape(lesson(at).network, Plane.data(), (playground.DOMAIN, playground.DOMAIN), experiment.to_inputs, 50)
    assert np.array_equal(np.asarray(surface.z), view.predicted)


def test_regression_training_shows_r2_and_the_mean_absolute_error_not_accuracy():
    at = playground_page()
    at.selectbox(key="_w_pg_kind").set_value("plane").run()
    at.switch_page("pages/3_Train.py").run()
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.number_input(key="_w_tr_epochs").set_value(40).run()
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    history = lesson(at).run.history
    titles = [c.layout.title.text for c in charts(at) if c.layout.title.text]
    assert any("R² and mean absolute error per epoch" in t for t in titles)
    assert not any("ccuracy" in t for t in titles)
    training = next(c for c in charts(at) if "R² and mean absolute error" in (c.layout.title.text or ""))
    by_name = {t.name: t for t in training.data}  # loss on the left, R² and the mean |error| on the right
    assert list(by_name["validation R²"].y) == history.validation_r2
    assert list(by_name["validation mean |error|"].y) == history.validation_mae
    shown = texts(at)
    assert f"{history.validation_r2[-1]:.4f}" in shown and f"{history.validation_mae[-1]:.4g}" in shown
    assert "accuracy" not in " ".join(m.label for m in at.metric).lower()
    assert chart_named(at, "surface")


def test_the_step_through_explains_derived_features_and_works_on_regression():
    at = playground_page()
    at.selectbox(key="_w_pg_kind").set_value("bump").run()
    at.pills(key="_w_pg_features").set_value(["x1", "x2", "x1^2", "sin x2"]).run()
    assert lesson(at).network.layer_sizes == [4, 4, 2, 1]
    at.switch_page("pages/2_Step_through.py").run()
    no_errors(at)
    shown = texts(at)
    assert "x₁ squared: lets one neuron draw a boundary that bends" in shown and "the sine of x₂" in shown
    while not at.button(key="step_next").disabled:
        at.button(key="step_next").click().run()
    no_errors(at)
    assert chart_named(at, "surface") and "change" in [c.data[0].name for c in charts(at)]
    before = lesson(at).network.copy()
    at.button(key="apply_update").click().run()
    no_errors(at)
    assert not lesson(at).network.same_weights(before)
    assert [c.layout.title.text for c in charts(at)][-3:] == ["Before the update", "After the update you applied",
                                                              "Change in the “predicted value” output"]


def test_the_plane_choice_is_the_lessons_and_survives_a_snapshot():
    at = open_page("app.py")
    at.switch_page("pages/5_Data.py").run()
    assert chart_named(at, "regions").layout.xaxis.title.text.startswith("PC1 (")
    at.radio(key="_w_data_plane").set_value("features").run()
    at.selectbox(key="_w_data_plane_x").set_value(2).run()
    at.selectbox(key="_w_data_plane_y").set_value(2).run()  # the same feature twice: the two swap
    no_errors(at)
    assert lesson(at).plane == {"kind": "features", "x": 1, "y": 2}
    regions = chart_named(at, "regions")
    assert (regions.layout.xaxis.title.text, regions.layout.yaxis.title.text) == ("perimeter", "compactness")
    doc, arrays, _ = to_snapshot(lesson(at))
    assert from_snapshot(doc, arrays).plane == lesson(at).plane
    doc.pop("plane")
    assert from_snapshot(doc, arrays).plane == {}  # older snapshots have none
    for damaged in ({"kind": "features", "x": 1, "y": 1}, {"kind": "features", "x": 0, "y": 99},
                    {"kind": "sideways"}, "principal"):
        try:
            from_snapshot({**doc, "plane": damaged}, arrays)
        except ValueError as err:
            assert "plane" in str(err)
        else:
            raise AssertionError(f"{damaged!r} was accepted")
    at.switch_page("pages/1_Network.py").run()
    at.switch_page("pages/5_Data.py").run()
    assert at.radio(key="_w_data_plane").value == "features" and at.selectbox(key="_w_data_plane_x").value == 1


def test_data_of_one_feature_says_why_it_has_no_landscape():
    at = open_page("app.py")
    at.switch_page("pages/5_Data.py").run()
    rows = "\n".join(f"{i / 10},{'ab'[i % 2]}" for i in range(12))
    at.file_uploader(key="csv_upload").set_value(("one.csv", rows.encode(), "text/csv")).run()
    no_errors(at)
    assert lesson(at).dataset.n_features == 1 and not at.error
    assert "needs data of two features or more" in texts(at)
