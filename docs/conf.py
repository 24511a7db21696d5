"""Sphinx configuration for python-quoine."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
sys.path.insert(0, os.path.abspath("_ext"))

from quoine._version import __version__

project = "python-quoine"
author = "python-quoine developers"
copyright = "2017-2026, python-quoine developers"
version = ".".join(__version__.split(".")[:2])
release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
    "answer_types",
]

# Every cross-reference must resolve (build with -n). The inventories of the
# projects we link to ship in _inventories/ (make_inventories.py writes them),
# so the build needs no network.
nitpicky = True
# Private names (a leading underscore) are not documented on purpose: the
# "not given" sentinel of rate_limit=, nested shapes of the answer types. The
# text around them says what they are.
nitpick_ignore_regex = [("py:class", r"(quoine\.[\w.]+\.)?_[A-Za-z]\w*")]
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inventories/python.inv"),
    "requests": ("https://requests.readthedocs.io/en/latest", "_inventories/requests.inv"),
    "dateutil": ("https://dateutil.readthedocs.io/en/stable", "_inventories/dateutil.inv"),
    "pandas": ("https://pandas.pydata.org/docs", "_inventories/pandas.inv"),
}

napoleon_google_docstring = True
napoleon_numpy_docstring = False

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {}
# Type aliases named in signatures link to their documented entry.
autodoc_type_aliases = {"Timeout": "quoine.client.Timeout"}

# Headings read "Quoinex.create_limit_buy", the class users hold, without the
# module path. The pages' section titles already name each method, so the
# sidebar lists those, not the object entries a second time.
add_module_names = False
toc_object_entries = False

templates_path = []
exclude_patterns = ["_build", "_inventories", "Thumbs.db", ".DS_Store"]
master_doc = "index"
language = "en"

# furo: code blocks scroll instead of being cut, and long names wrap in the sidebar.
html_theme = "furo"
html_title = f"python-quoine {release}"
html_static_path = []
pygments_style = "sphinx"
pygments_dark_style = "monokai"


def _drop_method_examples(app, what, name, obj, options, lines):
    """Show each client method's example once: the endpoint pages show their own."""
    if what != "method" or not name.startswith("quoine.client."):
        return
    for i, line in enumerate(lines):
        if line.strip() in ("Example:", "Examples:", ".. rubric:: Example", ".. rubric:: Examples"):
            del lines[i:]
            return


def setup(app):
    app.connect("autodoc-process-docstring", _drop_method_examples)
