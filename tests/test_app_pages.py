"""Every page loads, also when it is the first page a session opens, and shows one lesson."""
import pytest

from apptest import PAGES, lesson, lesson_id, no_errors, open_page


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_when_opened_first(path):
    at = open_page(path)
    no_errors(at)
    assert lesson(at).network.layer_sizes == [7, 5, 3] and lesson(at).dataset.n_rows == 210
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "210 rows · 7 features · 3 classes" in sidebar and "layers 7-5-3" in sidebar
    assert len(lesson_id(at)) == 22  # the address bar names this lesson from the first moment


def test_landing_page_shows_the_data_and_the_way_in():
    at = open_page("app.py")
    assert [m.value for m in at.metric][:4] == ["210", "7", "3", "7-5-3"]
    assert len(at.main.get("page_link")) == 7 and len(at.sidebar.get("page_link")) == 8


def test_presentation_mode_and_theme_survive_a_page_switch():
    at = open_page("app.py")
    at.switch_page("pages/1_Network.py").run()
    at.button(key="theme_sidebar").click().run()
    at.button(key="presentation_sidebar").click().run()
    assert lesson(at).presentation is True and lesson(at).theme == "dark"
    at.switch_page("pages/2_Step_through.py").run()
    no_errors(at)
    assert lesson(at).presentation is True and lesson(at).theme == "dark"
    at.button(key="presentation_bar").click().run()  # presentation mode's page bar leaves it
    assert lesson(at).presentation is False and lesson(at).theme == "dark"


def test_retraining_on_one_page_is_what_every_page_and_the_sidebar_show():
    at = open_page("app.py")
    at.switch_page("pages/1_Network.py").run()
    at.text_input[0].set_value("4")
    at.button[1].click().run()  # the architecture form's Re-initialise
    no_errors(at)
    for page in ("pages/3_Train.py", "pages/2_Step_through.py", "app.py", "pages/1_Network.py"):
        at.switch_page(page).run()
        assert lesson(at).network.layer_sizes == [7, 4, 3]
        assert "layers 7-4-3" in " ".join(c.value for c in at.sidebar.caption)
    assert at.text_input[0].value == "4"  # the Network page's form reads the lesson's settings
    at.switch_page("pages/3_Train.py").run()
    assert at.text_input(key="_w_tr_hidden").value == "4"  # and so do the Train page's settings


HOSTILE_LABEL = "![a](http://example.com/pixel.png)"


def test_user_supplied_text_is_shown_as_text_never_as_markdown():
    at = open_page("app.py")
    at.switch_page("pages/5_Data.py").run()
    rows = [f"{i},{i % 3},{HOSTILE_LABEL if i % 2 else ':red[x] $x$'}" for i in range(12)]
    at.file_uploader(key="csv_upload").set_value(("<b>bold</b>.csv", "\n".join(rows).encode(), "text/csv")).run()
    no_errors(at)
    for page in ("pages/5_Data.py", "app.py", "pages/2_Step_through.py", "pages/3_Train.py"):
        at.switch_page(page).run()
        source = " ".join(m.value for kind in ("markdown", "caption", "error", "info", "warning", "success")
                          for m in at.get(kind))  # what Streamlit is given to render as Markdown
        assert "example\\.com/pixel" in source  # the label is on the page, escaped…
        assert "![" not in source and "](http" not in source and ":red[" not in source  # …never as Markdown
        assert "<b>" not in source and "$x$" not in source
