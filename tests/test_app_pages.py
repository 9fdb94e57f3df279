"""Every page loads, also when it is the first page a session opens."""
import pytest

from apptest import PAGES, no_errors, open_page


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_when_opened_first(path):
    at = open_page(path)
    no_errors(at)
    assert at.session_state["network"].layer_sizes == [7, 5, 3]
    assert at.session_state["dataset"].n_rows == 210
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "210 rows · 7 features · 3 classes" in sidebar and "layers 7-5-3" in sidebar


def test_landing_page_shows_the_data_and_the_way_in():
    at = open_page("app.py")
    assert [m.value for m in at.metric][:4] == ["210", "7", "3", "7-5-3"]
    assert len(at.main.get("page_link")) == 5 and len(at.sidebar.get("page_link")) == 6


def test_presentation_mode_survives_a_page_switch():
    at = open_page("app.py")
    at.switch_page("pages/1_Network.py").run()
    at.sidebar.toggle[0].set_value(True).run()
    assert at.session_state["presentation"] is True
    at.switch_page("pages/2_Step_through.py").run()
    no_errors(at)
    assert at.session_state["presentation"] is True and at.sidebar.toggle[0].value is True
