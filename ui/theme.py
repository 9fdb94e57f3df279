"""The look of every page: a light and a dark (projector) theme, presentation mode's large type, and the
same theme on every plotly figure.

Streamlit cannot switch its own theme per session from Python, so the dark theme is a CSS layer over
Streamlit's light one (``page_css``), and ``style`` gives a finished figure the theme's colours
(ui.figures.colors.themed) and, in presentation mode, larger type. Dataframes are drawn on a canvas
that no CSS colour reaches: in the dark theme they are inverted (lightness only, hues kept).
"""
from __future__ import annotations

from string import Template

import plotly.graph_objects as go

from .figures.colors import THEMES, themed
from .figures.spec import Spec

# one dict of colours per theme: the page around the figures
COLORS: dict[str, dict[str, str]] = {
    "light": dict(background="#ffffff", sidebar="#f0f2f6", surface="#ffffff", raised="#f0f2f6", text="#1f2330",
                  muted="#5c6370", border="#d5d9e0", primary="#2166ac", on_primary="#ffffff", link="#1d5fa0",
                  grid="#e6e9ef", code="#f5f6f8", hover="#ffffff"),
    "dark": dict(background="#0e1117", sidebar="#161b24", surface="#1a212d", raised="#232b38", text="#f1f3f7",
                 muted="#b4bcc8", border="#465264", primary="#2f7fd8", on_primary="#ffffff", link="#8cc4ff",
                 grid="#2c3543", code="#161c26", hover="#232b38"),
}
assert set(COLORS) == set(THEMES)

FIGURE_FONT = {False: 13, True: 18}  # px: figure text in normal and presentation mode

BASE_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
.katex { font-size: 1.08em; }
.katex-display { overflow: visible; padding: 0.2rem 0; margin: 0.4rem 0; }
[data-testid="stMetricValue"] { font-variant-numeric: tabular-nums; }
.st-key-hidden_clicker { display: none; }
/* choices (pills, segmented controls) wrap onto a second row rather than scroll out of a narrow column */
[data-testid="stButtonGroup"] [role="toolbar"] { flex-wrap: wrap; overflow-x: visible; row-gap: 0.4rem; }
/* a page link in the page's body (Home's list) wraps rather than being cut */
[data-testid="stMain"] [data-testid="stPageLink"] p, [data-testid="stMain"] [data-testid="stPageLink"] span {
  white-space: normal; }  /* the clicker's PageDown/PageUp buttons: keys only */
/* a phone: the step-through's Back and Next stay at the bottom of the screen */
@media (max-width: 640px) {
  .st-key-step_nav { position: fixed; left: 0; right: 0; bottom: 0; z-index: 99; padding: 0.5rem 1rem;
                     background: $background; border-top: 1px solid $border; }
  [data-testid="stMainBlockContainer"] { padding-top: 3.6rem; padding-bottom: 5rem; }
  [data-variant="segmented_control"] { padding-left: 0.45rem; padding-right: 0.45rem; }
  /* Playground: its columns stack, the picture first, the controls after it */
  .st-key-pg_layout > [data-testid='stLayoutWrapper'] > [data-testid='stHorizontalBlock'] {
    flex-direction: column-reverse; }
}
"""

PRESENTATION_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0.6rem 2.5rem 1.5rem; max-width: none; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMarkdownContainer"] h4 { font-size: 1.6rem; padding: 0.2rem 0; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 3.2rem; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem; }
[data-testid="stProgress"] p { font-size: 1.3rem; }
[data-testid="stWidgetLabel"] p, button p, [data-testid="stPageLink"] span, [data-testid="stTab"] p,
[data-testid="stMain"] input { font-size: 1.15rem; }
.st-key-page_bar { border-bottom: 1px solid $border; padding-bottom: 0.3rem; }
.st-key-page_bar [data-testid="stPageLink"] a { padding: 0.1rem 0.5rem; }
.st-key-page_bar [data-testid="stPageLink"] span { white-space: nowrap; }
"""

# the dark theme: Streamlit's light widgets recoloured
DARK_CSS = """
html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
[data-testid="stBottomBlockContainer"] { background: $background; color: $text; }
[data-testid="stHeader"] { background: transparent; }  /* as in the light theme: it never covers a title */
[data-testid="stSidebar"], [data-testid="stSidebarContent"] { background: $sidebar; }
[data-testid="stSidebar"] [data-testid="stMarkdownContainer"], [data-testid="stSidebar"] span { color: $text; }
.stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp h5, .stApp h6, .stApp p, .stApp li, .stApp label,
.stApp strong, .stApp em, [data-testid="stMarkdownContainer"], [data-testid="stWidgetLabel"],
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stExpander"] summary,
[data-testid="stExpander"] summary span, [data-testid="stHeading"], [data-testid="stText"],
[data-testid="stPageLink"] span, [data-testid="stRadioOption"], [data-testid="stCheckbox"] span,
[data-testid="stFileUploaderDropzoneInstructions"] span, .katex { color: $text; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stSliderTickBar"] div,
[data-testid="stFileUploaderDropzoneInstructions"] small, [data-testid="stMetricDelta"] { color: $muted; }
.stApp a, [data-testid="stMarkdownContainer"] a { color: $link; }
[data-testid="stPageLink-NavLink"]:hover, [data-testid="stPageLink-NavLink"][aria-current="page"] {
  background: $raised; }
hr, [data-testid="stDivider"] { border-color: $border; background: $border; }
[data-testid="stIconMaterial"], [data-testid="stTooltipIcon"] svg { color: $muted; }
button[aria-label^="Help for"] svg, [data-testid="stTooltipIcon"] svg { stroke: $muted; }  /* the "?" icons */
/* inputs, selects, number inputs, the file uploader, drop-down lists, tooltips */
[data-baseweb="input"], [data-baseweb="base-input"], [data-baseweb="textarea"], [data-testid="stSelectbox"] [role="group"],
[data-testid="stSelectbox"] [role="group"] button, [data-testid="stNumberInputContainer"],
[data-testid="stFileUploaderDropzone"], input, textarea {
  background: $surface !important; color: $text !important; border-color: $border !important; }
input:disabled, textarea:disabled { -webkit-text-fill-color: $muted !important; color: $muted !important; }
[data-testid="stNumberInputStepUp"], [data-testid="stNumberInputStepDown"] { background: $raised; color: $text; }
[data-testid="stSelectboxVirtualDropdown"], [role="listbox"], [role="option"] { background: $surface; color: $text; }
[role="option"][data-focused="true"], [role="option"]:hover, [role="option"][data-selected="true"] { background: $raised; }
[role="tooltip"], [data-testid="stTooltipContent"] { background: $raised; color: $text; border-color: $border; }
[data-testid="stTooltipContent"] p { color: $text; }
/* buttons, the segmented control, download and form buttons, popovers */
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-secondaryFormSubmit"],
[data-variant="segmented_control"], [data-variant="pills"],
[data-testid="stPopoverButton"], [data-testid="stDownloadButton"] button {
  background: $surface; color: $text; border-color: $border; }
[data-testid="stBaseButton-secondary"]:hover, [data-variant="segmented_control"]:hover {
  border-color: $link; color: $link; }
[data-variant="segmented_control"][aria-checked="true"], [data-variant="pills"][aria-checked="true"] {
  background: $raised; color: $link; border-color: $link; }
[data-variant="segmented_control"][aria-checked="true"] p { color: $link; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-primaryFormSubmit"] {
  background: $primary; border-color: $primary; color: $on_primary; }
button:disabled, button[disabled] { opacity: 0.55; border-color: $border !important; }
[data-testid="stBaseButton-tertiary"], [data-testid="stBaseButton-headerNoPadding"] { color: $text; }
/* expanders, tabs, forms, containers with a border */
[data-testid="stExpander"] details, [data-testid="stForm"], [data-testid="stVerticalBlockBorderWrapper"] {
  border-color: $border; background: transparent; }
[data-testid="stExpander"] summary { background: $raised; color: $text; }
[data-testid="stExpander"] summary:hover, [data-testid="stExpander"] summary:hover p { color: $link; }
[data-baseweb="tab-list"] { border-color: $border; }
[data-baseweb="tab-border"] { background: $border; }
[data-testid="stTab"] p, [data-baseweb="tab"] { color: $muted; }
[data-testid="stTab"][aria-selected="true"] p { color: $text; }
/* sliders, radios, toggles and checkboxes keep Streamlit's blue; their tracks are lifted off the dark */
[data-testid="stSlider"] [data-baseweb="slider"] > div > div { background: $border; }
[data-testid="stSliderThumbValue"] { color: $text; }
[data-testid="stCheckbox"] label:has(input:not(:checked)) > span + div { background-color: $border; }  /* a toggle's
   track when off (on, it keeps Streamlit's blue) */
[data-testid="stRadioOption"]:not([data-selected="true"]) > div > div:first-child {
  background-color: $raised; border-color: $muted; }  /* an unselected radio's disc */
/* progress bars, code, alerts, toasts */
[data-testid="stProgressBarTrack"] { background: $raised; }
[data-testid="stProgressBarTrack"] > div { background: $link; }
[data-testid="stProgress"] p { color: $text; }
[data-testid="stCode"] pre, [data-testid="stCode"] code, .stApp code, [data-testid="stCodeBlock"] {
  background: $code !important; color: $text !important; }
[data-testid="stCode"] span { color: inherit !important; }
[data-testid="stAlertContainer"] { background: $raised; color: $text; }
[data-testid="stAlertContainer"] p, [data-testid="stAlertContainer"] svg { color: $text; }
[data-testid="stAlertContentInfo"] svg { color: #8cc4ff; }
[data-testid="stAlertContentSuccess"] svg { color: #4fd18b; }
[data-testid="stAlertContentWarning"] svg { color: #ffcf4d; }
[data-testid="stAlertContentError"] svg { color: #ff8a8a; }
[data-testid="stAlertContainer"]:has([data-testid="stAlertContentInfo"]) { background: rgba(90, 169, 240, 0.16); }
[data-testid="stAlertContainer"]:has([data-testid="stAlertContentSuccess"]) { background: rgba(79, 209, 139, 0.16); }
[data-testid="stAlertContainer"]:has([data-testid="stAlertContentWarning"]) { background: rgba(255, 207, 77, 0.16); }
[data-testid="stAlertContainer"]:has([data-testid="stAlertContentError"]) { background: rgba(255, 138, 138, 0.16); }
[data-testid="stToast"] { background: $raised; color: $text; border: 1px solid $border; }
[data-testid="stToast"] p, [data-testid="stToast"] svg { color: $text; }
/* dataframes are drawn on a canvas: inverted in lightness, hues turned back */
[data-testid="stDataFrame"] canvas, [data-testid="stDataFrame"] .dvn-scroller {
  filter: invert(0.9) hue-rotate(180deg); }
[data-testid="stElementToolbar"] button { color: $text; background: $raised; }
"""


def page_css(theme: str, presentation: bool) -> str:
    """The page's CSS: the base rules, presentation mode's large type, and the dark theme's colours."""
    colors = COLORS[theme if theme in COLORS else "light"]
    css = BASE_CSS + (PRESENTATION_CSS if presentation else "") + (DARK_CSS if theme == "dark" else "")
    return "<style>" + Template(css).substitute(colors) + "</style>"


def _recolor(value, theme: str):
    """A property as drawn in ``theme``: a colour or a list of colours mapped; else (numbers) as is."""
    if isinstance(value, str):
        return themed(value, theme)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return [themed(v, theme) for v in value]
    return value


_COLOR_PATHS = (("line", "color"), ("marker", "color"), ("marker", "line", "color"), ("textfont", "color"),
                ("fillcolor",), ("font", "color"), ("bgcolor",), ("bordercolor",), ("arrowcolor",))


def _recolor_all(items: list[dict], theme: str) -> list[dict]:
    """These traces, annotations or shapes (plain dicts) with every colour in ``theme``: new dicts, copied
    along the paths that change (a builder's cached dicts are never touched)."""
    done = []
    for item in items:
        item = dict(item)
        for path in _COLOR_PATHS:
            holder = item
            for name in path[:-1]:
                child = holder.get(name) if isinstance(holder, dict) else None
                if not isinstance(child, dict):
                    holder = None
                    break
                holder[name] = child = dict(child)
                holder = child
            if isinstance(holder, dict) and path[-1] in holder:
                holder[path[-1]] = _recolor(holder[path[-1]], theme)
        done.append(item)
    return done


def _merge(into: dict, settings: dict) -> dict:
    """``settings`` laid over a copy of ``into`` key by key, nested dicts merged rather than replaced (a title
    given as plain text counts as {"text": …})."""
    into = dict(into)
    for key, value in settings.items():
        if key == "title" and isinstance(into.get(key), str):
            into[key] = {"text": into[key]}
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = _merge(into[key], value)
        else:
            into[key] = value
    return into


def _axis(colors: dict[str, str], text: dict) -> dict:
    """One axis's colours and type: a new dict for every axis (plotly.js may write into them)."""
    return dict(gridcolor=colors["grid"], zerolinecolor=colors["grid"], linecolor=colors["border"],
                tickfont=dict(text), title=dict(font=dict(text)))


def style(fig: Spec | go.Figure, theme: str, presentation: bool = False, opaque: bool = False) -> Spec:
    """``fig`` in ``theme``'s colours with readable type, as a new spec (``fig`` is left as it was): a
    transparent (or, ``opaque``, the page's) background; text, grid and hover colours from COLORS; every
    palette colour swapped for its themed counterpart; larger text in presentation mode. Works on plain
    dicts (figures redrawn several times a second are built as dicts, ui.figures.spec), and drops plotly's
    default template, which would be sent with every figure (Streamlit applies its own)."""
    spec = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    colors = COLORS[theme if theme in COLORS else "light"]
    text = dict(color=colors["text"], size=FIGURE_FONT[bool(presentation)])
    layout = dict(spec.get("layout", {}))
    layout["template"] = {}
    axes = {name: _axis(colors, text) for name in ("xaxis", "yaxis", *layout) if name.startswith(("xaxis", "yaxis"))}
    layout = _merge(layout, dict(
        paper_bgcolor=colors["background"] if opaque else "rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)", font=dict(text), title=dict(font=dict(text, size=text["size"] + 2)),
        hoverlabel=dict(bgcolor=colors["hover"], bordercolor=colors["border"], font=dict(text)),
        legend=dict(font=dict(text)), **axes))
    traces = []
    for trace in spec.get("data", []):  # text beside a point may reach into the margin: never cut at the plot's edge
        if trace.get("type", "scatter") in ("scatter", "bar") and ("text" in trace.get("mode", "") or "text" in trace):
            trace = {"cliponaxis": False, **trace}
        traces.append(trace)
    if theme != "light":
        traces = _recolor_all(traces, theme)
        for name in ("annotations", "shapes"):
            if name in layout:
                layout[name] = _recolor_all(layout[name], theme)
    return {**spec, "data": traces, "layout": layout}
