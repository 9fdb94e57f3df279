"""Lessons that survive a reload and travel by link: every state saved, each receiver its own copy."""
import sqlite3

import numpy as np

from apptest import errors, lesson, lesson_id, no_errors, open_page, settle, texts
from ui import state
from ui.lesson import fresh, from_snapshot, to_snapshot
from ui.selection import Selection


def stepped_and_applied():
    """A lesson worth keeping: an update applied on the step-through, then two steps."""
    at = open_page("pages/2_Step_through.py", sample="3", step="25", lr="0.7")
    at.button(key="apply_update").click().run()
    at.button(key="step_next").click().run()
    at.button(key="step_next").click().run()
    return at


def test_a_reload_restores_exactly_what_was_on_the_screen():
    at = stepped_and_applied()
    reloaded = open_page("pages/2_Step_through.py", lesson=lesson_id(at))
    no_errors(reloaded)
    assert lesson(reloaded).network.same_weights(lesson(at).network)
    assert lesson(reloaded).step == lesson(at).step and lesson(reloaded).step.index == 2
    assert texts(reloaded) == texts(at)


def test_a_link_gives_its_receiver_an_own_copy():
    sender = stepped_and_applied()
    sent = lesson_id(sender)
    receiver = open_page("pages/2_Step_through.py", lesson=sent)
    receiver.button(key="step_next").click().run()
    assert lesson_id(receiver) != sent  # a change made a new snapshot, for the receiver only
    assert lesson(sender).step.index == 2 and lesson(receiver).step.index == 3
    again = open_page("pages/2_Step_through.py", lesson=sent)
    assert lesson(again).step.index == 2  # the sender's lesson is as it was sent


def test_back_and_forward_move_between_earlier_states(monkeypatch):
    monkeypatch.setattr(state, "STALE_SECONDS", 0.0)  # a person pressing Forward, not a request in flight
    at = stepped_and_applied()
    latest = lesson_id(at)
    at.button(key="step_back").click().run()
    assert lesson(at).step.index == 1 and lesson_id(at) != latest
    at.query_params["lesson"] = latest  # what the browser's forward button does to the URL
    at.run()
    assert lesson(at).step.index == 2


def test_a_request_still_carrying_the_address_a_save_just_replaced_undoes_nothing():
    """A rerun asked for before the browser had the new address carries the old one: it is no Back press
    (a Stop during training was once undone this way, its run record rolled back to the one from Start)."""
    at = stepped_and_applied()
    before = lesson_id(at)
    at.button(key="step_next").click().run()
    after = lesson_id(at)
    assert after != before and lesson(at).step.index == 3
    at.query_params["lesson"] = before  # the address a request sent a moment ago still carries
    at.run()
    assert lesson(at).step.index == 3 and lesson_id(at) == after


def test_an_unknown_or_malformed_id_gives_a_message_and_a_fresh_start():
    for bad in ("A" * 22, "../../etc/passwd", "x" * 5000, "", "0"):
        at = open_page("pages/2_Step_through.py", lesson=bad)
        no_errors(at)
        if bad:
            assert "could not be opened" in texts(at) + " ".join(i.value for i in at.info)
        assert lesson(at).network.layer_sizes == [7, 5, 3] and lesson_id(at) != bad


def test_a_damaged_snapshot_gives_a_message_and_a_fresh_start(tmp_path, monkeypatch):
    at = stepped_and_applied()
    path = state.store().path
    with sqlite3.connect(path) as db:
        # arrays are shared between snapshots: damage a copy that only this one refers to
        db.execute("INSERT INTO arrays (key, size, data) VALUES ('damaged', 40, ?)", (b"junk" * 10,))
        db.execute("UPDATE snapshot_arrays SET key = 'damaged' WHERE position = 0 AND seq = "
                   "(SELECT seq FROM snapshots WHERE id = ?)", (lesson_id(at),))
    reopened = open_page("pages/2_Step_through.py", lesson=lesson_id(at))
    no_errors(reopened)
    assert "could not be opened" in " ".join(i.value for i in reopened.info)
    assert lesson(reopened).step.index == 0


def test_every_kind_of_state_round_trips_bit_for_bit():
    at = open_page("app.py")
    at.switch_page("pages/3_Train.py").run()
    at.select_slider(key="_w_train_pace").set_value("instant").run()
    at.number_input(key="_w_tr_momentum").set_value(0.5).run()
    at.number_input(key="_w_tr_epochs").set_value(30).run()
    at.button(key="train_start").click().run()
    settle(at)
    at.switch_page("pages/4_Cross_validation.py").run()
    at.button(key="reproduce").click().run()
    settle(at, "cv_job")
    original = lesson(at)
    original.selection = Selection("bias", 2, 1)  # picked on a graph
    original.plane = {"kind": "features", "x": 6, "y": 2}
    copy = from_snapshot(*to_snapshot(original)[:2])
    assert copy.plane == original.plane
    assert copy.network.same_weights(original.network) and copy.settings == original.settings
    assert all(np.array_equal(a, b) for a, b in zip(copy.velocity, original.velocity))
    assert copy.run.history == original.run.history and copy.made == original.made
    assert [e for e, _ in copy.run.frames] == [e for e, _ in original.run.frames] == list(range(31))
    assert all(np.array_equal(a, b) for (_, x), (_, y) in zip(copy.run.frames, original.run.frames) for a, b in zip(x, y))
    assert all(np.array_equal(a, b) for a, b in zip(original.run.frames[-1][1], original.network.weights))
    assert copy.cv_runs[0].result.scores == original.cv_runs[0].result.scores
    assert copy.cv_runs[0].result.folds[0].test_rows == original.cv_runs[0].result.folds[0].test_rows
    assert copy.selection == original.selection


def test_uploaded_and_generated_data_travel_with_the_lesson():
    from core import playground

    data = playground.generate("xor", 60, 0.1, 4)
    original = fresh(data, {"kind": "playground", "generator": "xor", "n_points": 60, "noise": 0.1, "seed": 4})
    copy = from_snapshot(*to_snapshot(original)[:2])
    assert np.array_equal(copy.dataset.features, data.features) and np.array_equal(copy.dataset.labels, data.labels)
    assert copy.dataset.class_names == data.class_names and copy.dataset.name == data.name


def test_named_lessons_are_listed_opened_renamed_and_deleted():
    at = open_page("app.py")
    at.switch_page("pages/2_Step_through.py").run()
    at.button(key="step_next").click().run()
    at.switch_page("pages/6_Lessons.py").run()
    at.text_input[0].set_value("Lecture 3: after one update")
    next(b for b in at.button if b.label == "Save with this name").click().run()
    no_errors(at)
    assert "Lecture 3: after one update" in texts(at)
    named = lesson_id(at)
    opened = open_page("pages/6_Lessons.py")
    opened.button(key=f"open_{named}").click().run()
    opened.run()
    assert lesson(opened).step.index == 1 and not errors(opened)
    opened.text_input(key=f"rename_{named}").set_value("Lecture 4")
    opened.button(key=f"do_rename_{named}").click().run()
    assert "Lecture 4" in texts(opened) and "Lecture 3" not in texts(opened)
    opened.button(key=f"delete_{named}").click().run()
    assert "Lecture 4" not in texts(opened)


def test_a_lesson_with_the_largest_data_the_app_accepts_can_be_saved():
    """Every dataset the loader accepts fits in a lesson snapshot, with a long training history."""
    from core import Dataset, History
    from core.limits import MAX_CELLS, MAX_EPOCHS, MAX_FEATURES, MAX_ROWS
    from storage import MAX_SNAPSHOT_BYTES
    from ui.lesson import RunRecord

    rows = min(MAX_ROWS, MAX_CELLS // 2)
    features = MAX_CELLS // rows
    assert features <= MAX_FEATURES
    data = Dataset(np.random.default_rng(0).normal(size=(rows, features)), np.arange(rows) % 2,
                   [f"f{i}" for i in range(features)], ["a", "b"], "largest")
    big = fresh(data, {"kind": "upload", "name": "largest.csv"})
    n = MAX_EPOCHS
    big.run = RunRecord(History(epoch=list(range(1, n + 1)), sse=[1.0] * n, loss=[1.0] * n,
                                train_accuracy=[50.0] * n, validation_accuracy=[50.0] * n,
                                validation_loss=[1.0] * n, gradient=[[1.0, 1.0]] * n))
    doc, arrays, _ = to_snapshot(big)
    size = sum(a.nbytes for a in arrays.values()) + len(str(doc))
    assert size < MAX_SNAPSHOT_BYTES, f"{size / 2**20:.1f} MB"


def test_an_update_applied_while_a_run_is_paused_is_what_resume_trains_on():
    """The paused run's worker is recorded and let go first; otherwise Resume went on with its own copy of
    the weights, and the update applied on the step-through was lost."""
    at = open_page("app.py")
    at.switch_page("pages/3_Train.py").run()
    at.select_slider(key="_w_train_pace").set_value("slow, for a lecture").run()
    at.button(key="train_start").click().run()
    at.button(key="train_pause").click().run()
    assert lesson(at).run.status == "paused" and at.session_state["job"] is not None
    at.switch_page("pages/2_Step_through.py").run()
    while not any(b.key == "apply_update" for b in at.button):
        at.button(key="step_next").click().run()
    at.button(key="apply_update").click().run()
    no_errors(at)
    assert "job" not in at.session_state  # let go: Resume starts a worker from the lesson's weights
    assert lesson(at).run.status == "paused" and "update applied" in lesson(at).provenance
