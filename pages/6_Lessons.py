"""Lessons: name the lesson on screen, find it again, open, rename or delete it; copy its link."""
import datetime as dt

import streamlit as st

from storage import SnapshotError
from ui import state, text
from ui.sidebar import page_setup

lesson = page_setup("Lessons")
ss = st.session_state
store = state.store()

st.subheader("Lessons", anchor=False)
st.markdown("Everything on screen — the data, the network and how it was trained, the step-through's position, "
            "cross-validation runs, presentation mode — is saved as you work. The address bar always holds "
            "this lesson: reload it, bookmark it, or send it to a student, who gets their own copy to continue "
            "from. Name a lesson to find it again here; named lessons are kept for good.")
if store.notice:
    st.warning(text.plain(store.notice))

url = st.context.url or ""
left, right = st.columns([1, 1])
with left:
    st.markdown("**Link to this lesson**")
    st.code(state.link(url.split("?")[0]), language=None, wrap_lines=True)
    st.caption("Copy it with the button at the right of the box.")
with right:
    with st.form("name_lesson", border=False):
        name = st.text_input("Name this lesson", placeholder="e.g. Lecture 3: after 100 epochs", max_chars=100)
        if st.form_submit_button("Save with this name", type="primary", icon=":material/bookmark_add:"):
            if not name.strip():
                st.error("Give the lesson a name first.")
            else:
                try:
                    store.rename(state.save(), name)
                except (SnapshotError, ValueError) as err:
                    st.error(f"Could not name it: {text.plain(err)}")
                else:
                    st.toast(f"Saved as “{text.plain(name, 100)}”.", icon=":material/bookmark:")


def open_lesson(snapshot_id: str) -> None:
    state.stop_job()
    st.query_params[state.LESSON_PARAM] = snapshot_id
    ss.pop("lesson", None)  # init_state reads the URL's lesson on the next run


def delete(snapshot_id: str) -> None:
    try:
        store.delete(snapshot_id)
    except (SnapshotError, ValueError) as err:
        ss["notice"] = f"Could not delete it: {err}"


def rename(snapshot_id: str) -> None:
    try:
        store.rename(snapshot_id, ss.get(f"rename_{snapshot_id}") or None)
    except (SnapshotError, ValueError) as err:
        ss["notice"] = f"Could not rename it: {err}"


st.markdown("**Named lessons** (newest first)")
named = store.named(50)
if not named:
    st.caption("None yet.")
for info in named:
    row = st.columns([3, 3, 1.6, 0.9, 0.9], vertical_alignment="center")
    row[0].markdown(f"**{text.plain(info.name, 100)}**")
    row[1].caption(text.plain(info.summary, 300))
    row[2].caption(dt.datetime.fromtimestamp(info.created).strftime("%Y-%m-%d %H:%M"))
    row[3].button("Open", key=f"open_{info.id}", on_click=open_lesson, args=(info.id,))
    with row[4].popover("⋯", help="Rename or delete"):
        st.text_input("New name", value=info.name or "", key=f"rename_{info.id}", max_chars=100)
        st.button("Rename", key=f"do_rename_{info.id}", on_click=rename, args=(info.id,))
        st.button("Delete", key=f"delete_{info.id}", on_click=delete, args=(info.id,), type="primary")
