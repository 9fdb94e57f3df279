"""Model files on the pages: download the lesson's network, or upload one in its place."""
from __future__ import annotations

from functools import partial
from typing import Callable

import streamlit as st

from core import Network, model_io

from . import state, text


def model_json_later(network: Network | None = None) -> Callable[[], str]:
    """The network (the lesson's by default) as model JSON, made when called: for a download button,
    the file is built on the click rather than on every redraw. Everything it needs is bound now,
    since it runs outside the session's script."""
    experiment = state.experiment()
    return partial(model_io.dumps, network or state.network(), feature_names=experiment.input_names,
                   class_names=state.dataset().class_names, normaliser=experiment.normaliser)


def accept_upload(upload, key: str) -> None:
    """Validate an uploaded model and make it the lesson's network; a bad file changes nothing."""
    if upload is None or st.session_state.get(f"{key}_done") == upload.file_id:
        return
    st.session_state[f"{key}_done"] = upload.file_id
    data = state.dataset()
    try:
        network = model_io.loads(upload.getvalue())
        inputs = len(state.experiment().input_names)
        if network.n_inputs != inputs or network.n_outputs != data.n_outputs:
            raise ValueError(f"the model has {network.n_inputs} inputs and {network.n_outputs} outputs, but "
                             f"the data gives {inputs} inputs and needs {data.n_outputs} outputs")
    except ValueError as err:
        st.session_state[f"{key}_error"] = f"{text.plain(upload.name, 60)}: {text.plain(err, 300)}. " \
                                           "The network was not changed."
        return
    st.session_state[f"{key}_error"] = None
    settings = state.lesson().settings.changed(hidden=tuple(network.hidden_sizes), activation=network.activation,
                                               output_activation="softmax" if network.loss == "cross_entropy" else "")
    network.init = f"uploaded ({upload.name[:60]})"
    state.set_network(network, f"uploaded from {upload.name[:60]}", settings, new=True)
    st.session_state["notice"] = f"Loaded {text.plain(upload.name, 60)}: the network is now {network.describe()}."
    st.rerun()


def upload_error(key: str) -> str | None:
    return st.session_state.get(f"{key}_error")
