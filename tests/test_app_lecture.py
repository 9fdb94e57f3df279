"""Lecture-ready pages in AppTest: clicker keys, Apply in the navigation row, equations sized to fit, a theme
that follows the lesson, and Pause and Stop that answer once the run is held."""
from apptest import lesson, no_errors, open_page, texts


def test_a_clickers_pagedown_and_pageup_step_like_next_and_back_when_presenting():
    at = open_page("pages/2_Step_through.py", sample="3", step="2")
    keys = [b.key for b in at.button]
    assert "step_next_pgdn" not in keys and "step_back_pgup" not in keys  # not presenting: the keys scroll
    at.button(key="presentation_sidebar").click().run()
    assert at.button(key="step_next_pgdn").proto.shortcut.lower() == "pagedown"
    assert at.button(key="step_back_pgup").proto.shortcut.lower() == "pageup"
    at.button(key="step_next_pgdn").click().run()
    assert lesson(at).step.index == 2
    at.button(key="step_back_pgup").click().run()
    at.button(key="step_back_pgup").click().run()
    assert lesson(at).step.index == 0 and at.button(key="step_back_pgup").disabled
    css = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-hidden_clicker { display: none; }" in css  # keys only: the buttons take no room


def test_the_last_step_puts_apply_update_where_next_was_pressed():
    at = open_page("pages/2_Step_through.py", sample="3", step="24")
    assert "apply_update" not in [b.key for b in at.button] and not at.button(key="step_play").disabled
    at.button(key="step_next").click().run()
    assert at.button(key="step_next").disabled
    assert "step_play" not in [b.key for b in at.button]
    assert "Loss on this sample" in texts(at)
    at.button(key="apply_update").click().run()
    no_errors(at)
    assert lesson(at).step.index == 0 and "update applied" in lesson(at).provenance


def test_each_equation_is_sized_to_its_widest_line_and_presenting_to_the_screen_too():
    import re

    from core.typeset import aligned_width
    from ui import show

    at = open_page("pages/2_Step_through.py", sample="3", step="9")
    rules = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-step_equation { container-type: inline-size; }" in rules
    shown = at.latex[0].value.strip("$\n")  # the step's aligned block, as the page sent it
    lines = shown.removeprefix("\\begin{aligned}").removesuffix("\\end{aligned}").split(" \\\\ ")
    assert len(lines) == 6 and lines[0].startswith("e_{1} &= o_{1} - t_{1}")
    wide = float(re.search(r"\.st-key-step_equation \.katex-display > \.katex \{ font-size: min\(17\.28px, "
                           r"calc\(100cqi / ([0-9.]+)\)\) !important", rules).group(1))
    assert wide == round(aligned_width(lines) * show.FIT_MARGIN + 0.3, 2)  # the widest line, in em
    at.button(key="presentation_sidebar").click().run()
    rules = " ".join(h.proto.body for h in at.get("html"))
    tall = re.search(r"max\(14px, calc\(\(100vh - (\d+)px\) / ([0-9.]+)\)\)", rules)
    assert tall and float(tall.group(2)) == len(lines) * show.ROW_EM  # presenting: short enough for the screen


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
        assert job.stop(wait=5.0).status == "stopped"


def test_pause_waits_for_the_worker_to_hold_not_for_a_chunk_that_merely_ended():
    """Deterministic: Pause is asked while a chunk is under way; that chunk then ends with the run still
    "running" — which must not count as the answer — and Pause returns once the worker has held."""
    import threading
    import time

    from ui.training_job import TrainingJob

    gate = threading.Event()

    class Chunk:  # a trainer whose first chunk ends only when the gate opens, and slow to report after it
        epoch, velocity, history, stop_reason, done = 0, None, [], None, False

        @property
        def network(self) -> None:  # read for every report: a slow one leaves a wrong answer time to be seen
            if gate.is_set():
                time.sleep(0.3)

        def run(self, epochs: int) -> None:
            gate.wait(5)
            self.epoch += epochs

        def stop(self, reason: str) -> None:
            self.stop_reason, self.done = reason, True

    job = TrainingJob(Chunk(), None)
    threading.Timer(0.1, gate.set).start()  # the chunk under way ends after Pause was asked
    held = job.pause(wait=5.0)
    assert held.status == "paused", held.status
    assert job.stop(wait=5.0).status == "stopped"


def test_all_digits_is_a_choice_the_box_keeps_showing():
    at = open_page("pages/2_Step_through.py", sample="3", step="2")
    at.selectbox(key="_w_step_digits").set_value("all").run()
    assert lesson(at).step.digits is None and at.selectbox(key="_w_step_digits").value == "all"
    at.button(key="step_next").click().run()
    assert at.selectbox(key="_w_step_digits").value == "all"  # still says so, not "Choose an option"
    at.selectbox(key="_w_step_digits").set_value("4").run()
    assert lesson(at).step.digits == 4
