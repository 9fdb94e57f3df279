"""The why of every weight, in the app: click a weight or neuron, its story in core's numbers, nudge it,
check every gradient, watch gradients vanish, and see inside cross-validation's folds."""
import numpy as np
import plotly.graph_objects as go
import pytest

from apptest import charts, click_chart, lesson, lesson_id, no_errors, open_page, settle, texts
from core import load_seeds, prepare
from core.chain import loss_slice, neuron_story, weight_story, with_weight
from core.gradcheck import gradient_check
from ui.figures.network_graph import network_figure
from ui.lesson import from_snapshot, to_snapshot
from ui.selection import Selection, checked, from_marker, parse

W = Selection("weight", 1, 1, 2)  # w[1] compactness → hidden 1·2, w1.2.3 in the URL


def row_story(at, row=0, layer=1, j=1, i=2):
    """core.chain's story of a weight on a row of the lesson's data, with the lesson's learning rate."""
    data = load_seeds()
    experiment = prepare(data, lesson(at).settings)
    return weight_story(lesson(at).network, experiment.inputs[row], data.targets(np.array([row]))[0], layer, j, i,
                        lesson(at).settings.learning_rate)


def picked_edges(figure):
    trace = next((t for t in figure.data if t.name == "picked"), None)
    return [] if trace is None else [(a, b) for a, b in zip(trace.x, trace.y) if a is not None and not np.isnan(a)]


def network_page_with_a_weight_picked():
    at = open_page("pages/1_Network.py")
    return click_chart(at, "network_graph", "w:1,1,2")


# -- picking -------------------------------------------------------------------------------------------
def test_clicking_a_weight_picks_it_and_the_card_tells_cores_numbers():
    at = network_page_with_a_weight_picked()
    no_errors(at)
    assert lesson(at).selection == W and at.query_params["select"] == "w1.2.3"
    story = row_story(at)
    shown = texts(at)
    assert f"`{story.gradient!r}`" in shown and f"`{story.numeric!r}`" in shown  # backprop and the estimate
    assert f"{story.relative_error:.2e}" in shown and "E = ½·Σ(o − t)²" in shown
    latex = " ".join(l.value for l in at.latex)
    for number in (story.delta, story.x, story.error, story.derivative, story.data_gradient, story.new_weight):
        assert repr(number) in latex  # δ factor by factor, x, δ·x and the new weight, every digit
    graph = charts(at)[0]
    assert picked_edges(graph) == [(0.0, 1.0), (1.0, 1.0)]  # compactness → hidden 1·2, both at y = 1


def test_clicking_a_neuron_tells_its_delta_and_every_incoming_gradient():
    at = click_chart(open_page("pages/1_Network.py"), "network_graph", "n:1,3")
    no_errors(at)
    assert lesson(at).selection == Selection("neuron", 1, 3) and at.query_params["select"] == "n1.4"
    data = load_seeds()
    experiment = prepare(data, lesson(at).settings)
    story = neuron_story(lesson(at).network, experiment.inputs[0], data.targets(np.array([0]))[0], 1, 3, 0.3)
    assert f"`{story.delta!r}`" in texts(at) and f"`{story.z!r}`" in texts(at)
    table = at.dataframe[0].value
    assert list(table["∂E/∂w = δ·x"]) == [w.gradient for w in story.weights]
    assert list(table["weight"])[-1] == "b[1] → hidden 1·4"


def test_clicking_an_input_or_a_bias_square():
    at = click_chart(open_page("pages/1_Network.py"), "network_graph", "n:0,2")
    assert lesson(at).selection is None and "select" not in at.query_params  # an input has no weights
    at = click_chart(at, "network_graph", "w:2,0,5")  # the bias square under output 1
    assert lesson(at).selection == Selection("bias", 2, 0) and at.query_params["select"] == "b2.1"


def test_the_selection_survives_a_rerun_a_page_switch_and_a_snapshot():
    at = open_page("app.py")
    at.switch_page("pages/1_Network.py").run()
    at = click_chart(at, "network_graph", "w:1,1,2")
    at.run()
    assert lesson(at).selection == W
    at.switch_page("pages/2_Step_through.py").run()
    no_errors(at)
    assert lesson(at).selection == W and at.query_params["select"] == "w1.2.3"
    assert picked_edges(charts(at)[0]) == [(0.0, 1.0), (1.0, 1.0)]
    assert "w[1] compactness → hidden 1·2" in texts(at)
    at.switch_page("pages/3_Train.py").run()
    assert at.query_params["select"] == "w1.2.3"
    assert from_snapshot(*to_snapshot(lesson(at))[:2]).selection == W
    reloaded = open_page("pages/1_Network.py", lesson=lesson_id(at))
    assert lesson(reloaded).selection == W and reloaded.query_params["select"] == "w1.2.3"


@pytest.mark.parametrize("bad", ["w1.2.99", "b1.6", "n1.2.3", "w" + "1." * 300 + "1", "<script>"])
def test_a_bad_select_in_the_url_is_ignored_with_a_warning(bad):
    at = open_page("pages/1_Network.py", select=bad)
    no_errors(at)
    assert lesson(at).selection is None and "select" not in at.query_params
    warning = " ".join(w.value for w in at.warning)
    assert "selection was ignored" in warning and "<script>" not in warning


def test_a_good_select_in_the_url_picks():
    at = open_page("pages/2_Step_through.py", select="b2.3")
    assert lesson(at).selection == Selection("bias", 2, 2) and not at.warning
    assert "b[2] → Canadian" in texts(at)


def test_selections_are_written_and_read_as_the_maths_writes_them():
    for text, selection in (("w1.2.3", W), ("b2.1", Selection("bias", 2, 0)), ("n1.4", Selection("neuron", 1, 3))):
        assert parse(text) == selection and selection.param == text
    net = prepare(load_seeds()).network
    assert from_marker("w:1,4,7", net) == Selection("bias", 1, 4)  # i = the layer's inputs: the bias
    assert from_marker(["w:2,2,1"], net) == Selection("weight", 2, 2, 1) and from_marker("n:0,1", net) is None
    with pytest.raises(ValueError, match="has no weight w1.6.1"):
        checked("w1.6.1", net)
    with pytest.raises(ValueError, match="count from 1"):
        parse("n0.1")


def test_every_neuron_weight_and_bias_carries_its_id():
    net = prepare(load_seeds()).network
    figure = go.Figure(network_figure(net))
    neurons = next(t for t in figure.data if t.name == "neurons")
    biases = next(t for t in figure.data if t.name == "biases")
    assert list(neurons.customdata)[:2] == ["n:0,0", "n:0,1"] and list(neurons.customdata)[-1] == "n:2,2"
    assert list(biases.customdata) == [f"w:1,{j},7" for j in range(5)] + [f"w:2,{j},5" for j in range(3)]


def test_a_damaged_selection_in_a_snapshot_is_refused_clearly():
    doc, arrays, _ = to_snapshot(lesson(open_page("app.py")))
    for bad in ("w1.2", 42):
        with pytest.raises(ValueError, match="the lesson's selection is damaged"):
            from_snapshot({**doc, "selection": bad}, arrays)
    assert from_snapshot({k: v for k, v in doc.items() if k != "selection"}, arrays).selection is None  # older


# -- nudging -------------------------------------------------------------------------------------------
def test_nudging_shows_the_new_value_and_changes_the_network_only_when_kept():
    at = network_page_with_a_weight_picked()
    before = lesson(at).network.copy()
    slider = next(s for s in at.slider if s.key.startswith("nudge_w1.2.3"))
    slider.set_value(1.5).run()
    no_errors(at)
    assert lesson(at).network.same_weights(before)  # only a copy was nudged
    nudged = with_weight(before, 1, 1, 2, 1.5)
    data = load_seeds()
    x, t = prepare(data, lesson(at).settings).inputs[0], data.targets(np.array([0]))[0]
    story = weight_story(nudged, x, t, 1, 1, 2, 0.3)
    assert f"`{story.gradient!r}`" in texts(at)  # the card tells the nudged network's numbers
    weights_hover = " ".join(next(tr for tr in charts(at)[0].data if tr.name == "weights").hovertext)
    assert "w = 1.5<br>" in weights_hover  # the graph draws the nudged value
    slice_chart = next(c for c in charts(at) if (c.layout.title.text or "").startswith("E as w[1] compactness"))
    tangent = next(tr for tr in slice_chart.data if tr.name.startswith("tangent"))
    slope = (tangent.y[1] - tangent.y[0]) / (tangent.x[1] - tangent.x[0])
    assert slope == pytest.approx(story.gradient, rel=1e-9)  # the plotted tangent's slope is the shown gradient
    now = next(tr for tr in slice_chart.data if tr.name == "w now")
    assert now.x[0] == 1.5 and now.y[0] == loss_slice(before, x, t, 1, 1, 2, [1.5])[0]
    after = next(tr for tr in slice_chart.data if tr.name == "w after the update")
    assert after.x[0] == story.new_weight
    next(b for b in at.button if b.label == "Keep this value").click().run()
    no_errors(at)
    kept = lesson(at).network
    assert kept.weights[0][1, 2] == 1.5 and kept.same_weights(nudged) and "set by hand" in lesson(at).provenance


def test_nudging_on_the_step_through_holds_the_update_until_kept_or_undone():
    at = click_chart(open_page("pages/2_Step_through.py", sample="3", step="25"), "step_graph", "w:2,1,3")
    next(s for s in at.slider if s.key.startswith("nudge_w2.2.4")).set_value(-1.0).run()
    assert at.button(key="apply_update").disabled and lesson(at).network.weights[1][1, 3] != -1.0
    next(b for b in at.button if b.label == "Back to the kept value").click().run()
    assert not at.button(key="apply_update").disabled


# -- the gradient check -----------------------------------------------------------------------------
def test_the_gradient_check_tables_worst_row_is_cores():
    at = open_page("pages/1_Network.py")
    data = load_seeds()
    experiment = prepare(data, lesson(at).settings)
    rows = experiment.train_rows
    for scope, x, t in (("sample", experiment.inputs[0], data.targets(np.array([0]))[0]),
                        ("training", experiment.inputs[rows], data.targets(rows))):
        at.radio(key="net_check_scope").set_value(scope).run()
        at.button(key="net_check_run").click().run()
        no_errors(at)
        check = gradient_check(lesson(at).network, x, t, feature_names=experiment.input_names,
                               class_names=data.class_names)
        table = at.dataframe[-1].value
        assert table["weight"][0] == check.worst.name and table["relative error"][0] == check.worst.relative_error
        assert list(table["backprop ∂E/∂w"]) == [r.backprop for r in check.rows]
        worst = check.worst
        assert lesson(at).selection.index(lesson(at).network) == (worst.layer, worst.neuron, worst.input)
        assert "Passed" in " ".join(s.value for s in at.success)
        histogram = next(c for c in charts(at) if c.data[0].type == "histogram")
        assert len(histogram.data[0].x) == len(check.rows)


# -- vanishing gradients ------------------------------------------------------------------------------
def test_the_presets_set_the_draft_and_the_chart_shows_the_gradient_vanish():
    at = open_page("pages/3_Train.py")
    at.button(key="preset_avoid").click().run()
    draft = lesson(at).draft
    assert (draft.hidden, draft.activation, draft.init) == ((8, 8, 8, 8), "tanh", "xavier")
    at.button(key="preset_vanish").click().run()
    draft = lesson(at).draft
    assert (draft.hidden, draft.activation, draft.init) == ((8, 8, 8, 8), "sigmoid", "tutorial")
    assert at.text_input(key="_w_tr_hidden").value == "8,8,8,8"
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.number_input(key="_w_tr_epochs").set_value(20).run()
    at.button(key="train_start").click().run()
    settle(at)
    no_errors(at)
    chart = next(c for c in charts(at) if (c.layout.title.text or "").startswith("Gradient size"))
    assert chart.layout.yaxis.type == "log" and [t.name for t in chart.data][::4] == ["hidden layer 1", "output layer"]
    gradient = lesson(at).run.history.gradient
    assert [t.y[-1] for t in chart.data] == gradient[-1]
    assert gradient[-1][0] < 1e-3 * gradient[-1][-1]  # the layer nearest the inputs barely learns
    at = click_chart(at, "train_graph", "w:1,0,0")  # finished: the graph can be picked on, the card shows
    no_errors(at)
    assert lesson(at).selection == Selection("weight", 1, 0, 0) and "Why w[1] area → hidden 1·1" in texts(at)


# -- cross-validation, visible ------------------------------------------------------------------------
def test_cross_validation_shows_one_strip_curve_and_confusion_matrix_per_fold():
    at = open_page("pages/4_Cross_validation.py")
    at.number_input[0].set_value(4)
    at.number_input[2].set_value(15)
    next(b for b in at.button if b.label == "Run cross-validation").click().run()
    settle(at, "cv_job")
    no_errors(at)
    folds = lesson(at).cv_runs[-1].result.folds
    figures = charts(at)
    strip = next(c for c in figures if c.data[0].type == "heatmap" and len(c.data[0].y) == 4)
    z = np.array(strip.data[0].z, dtype=float)
    for f, row in zip(folds, z):
        assert sorted(np.flatnonzero(row == f.fold)) == sorted(f.test_rows)  # the rows this fold holds out
        assert np.sum(row == 0) == f.n_train
    assert np.isnan(z).all(axis=0).sum() == 210 - 4 * 52  # rows in no fold
    curves = next(c for c in figures if (c.layout.title.text or "").startswith("Training loss"))
    assert [list(t.y) for t in curves.data] == [f.loss for f in folds]
    matrices = [c for c in figures if (c.layout.title.text or "").startswith("fold ")]
    assert [[list(r) for r in c.data[0].z] for c in matrices] == [f.counts for f in folds]
    shown = texts(at)
    assert "fresh network" in shown and "held-out fold only" in shown and "for **15 epochs**" in shown
