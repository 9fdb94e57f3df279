"""Model files on the pages: download the session's network, or upload one in its place."""
from __future__ import annotations

import streamlit as st

from core import model_io

from . import state


def model_json() -> str:
    data = state.dataset()
    return model_io.dumps(state.network(), feature_names=data.feature_names, class_names=data.class_names,
                          normaliser=state.normaliser())


def accept_upload(upload, key: str) -> None:
    """Validate an uploaded model and make it the session's network; a bad file changes nothing."""
    if upload is None or st.session_state.get(f"{key}_done") == upload.file_id:
        return
    st.session_state[f"{key}_done"] = upload.file_id
    data = state.dataset()
    try:
        network = model_io.loads(upload.getvalue())
        if network.n_inputs != data.n_features or network.n_outputs != data.n_classes:
            raise ValueError(f"the model has {network.n_inputs} inputs and {network.n_outputs} outputs, but "
                             f"the data has {data.n_features} features and {data.n_classes} classes")
    except ValueError as err:
        st.session_state[f"{key}_error"] = f"{upload.name}: {err}. The network was not changed."
        return
    st.session_state[f"{key}_error"] = None
    network.init = f"uploaded ({upload.name})"
    state.set_network(network)
    st.session_state["notice"] = f"Loaded {upload.name}: the network is now {network.describe()}."
    st.rerun()


def upload_error(key: str) -> str | None:
    return st.session_state.get(f"{key}_error")
