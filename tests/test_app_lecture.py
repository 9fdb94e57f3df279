"""Lecture-ready pages in AppTest: clicker keys, Apply in the navigation row, equations sized to fit, a theme
that follows the lesson, and Pause and Stop that answer once the run is held."""
from apptest import lesson, no_errors, open_page, texts


def test_a_clickers_pagedown_and_pageup_step_like_next_and_back():
    at = open_page("pages/2_Step_through.py", sample="3", step="2")
    assert at.button(key="step_next_pgdn").proto.shortcut.lower() == "pagedown"
    at.button(key="step_next_pgdn").click().run()
    assert lesson(at).step.index == 2
    at.button(key="step_back_pgup").click().run()
    at.button(key="step_back_pgup").click().run()
    assert lesson(at).step.index == 0 and at.button(key="step_back_pgup").disabled


def test_the_last_step_puts_apply_update_where_next_was_pressed():
    at = open_page("pages/2_Step_through.py", sample="3", step="24")
    assert "apply_update" not in [b.key for b in at.button] and not at.button(key="step_play").disabled
    at.button(key="step_next_pgdn").click().run()
    assert at.button(key="step_next").disabled and at.button(key="step_next_pgdn").disabled
    assert "step_play" not in [b.key for b in at.button]
    assert "Loss on this sample" in texts(at)
    at.button(key="apply_update").click().run()
    no_errors(at)
    assert lesson(at).step.index == 0 and "update applied" in lesson(at).provenance


def test_each_equation_is_sized_to_its_widest_line():
    at = open_page("pages/2_Step_through.py", sample="3", step="9")
    rules = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-step_equation { container-type: inline-size; }" in rules
    assert "calc(100cqi / " in rules and "100vh" not in rules  # in normal mode, width only
    at.button(key="presentation_sidebar").click().run()
    rules = " ".join(h.proto.body for h in at.get("html"))
    assert "calc((100vh - " in rules  # presenting: short enough for the screen too


def test_the_theme_follows_the_lesson_onto_the_page():
    at = open_page("pages/4_Cross_validation.py")
    assert "#0e1117" not in " ".join(h.proto.body for h in at.get("html"))
    at.button(key="theme_sidebar").click().run()
    assert lesson(at).theme == "dark" and "#0e1117" in " ".join(h.proto.body for h in at.get("html"))


def test_pause_and_stop_return_once_the_worker_has_stopped_at_any_pace():
    """pause() and stop() return with the run already held: a chunk that merely ended while running is not
    taken for the answer (it was, and the page then said "running" for one more tick). How soon they return
    is measured by the benchmark, not asserted here."""
    import time

    from core import ExperimentSettings, load_seeds, prepare
    from ui.training_job import PACES, TrainingJob

    for pace in PACES.values():
        job = TrainingJob(prepare(load_seeds(), ExperimentSettings(epochs=100_000)).trainer(), pace)
        for _ in range(2):
            time.sleep(0.15)
            held = job.pause()
            assert held.status == "paused", (pace, held.status)
            time.sleep(0.1)
            assert job.progress().epoch == held.epoch  # it holds
            job.resume()
        assert job.stop().status == "stopped"
