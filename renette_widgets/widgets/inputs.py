"""Inputs panel: upload data matrices and networks, preview them, load examples."""
from __future__ import annotations

import html
import io
from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..config import DEFAULT_MAX_UPLOAD_MB, max_upload_bytes
from ..errors import InputError
from ..io import examples
from ..io.checks import check_adjacency, check_data, constant_columns
from ..io.networks import detect_format, read_network
from ..io.reader import read_matrix
from .common import ErrorBox, frame_html, guarded
from .session import Session
from .upload import ChunkedUpload

SEPARATORS = {"auto-detect": None, "comma ,": ",", "tab": "\t", "semicolon ;": ";",
              "spaces": " "}
ROW_NAMES = {"auto-detect": None, "yes": True, "no": False}
MISSING = {"are an error": "error", "drop those samples": "drop", "impute column mean": "impute"}
KINDS = {"auto-detect (square, same row and column names = network)": "auto",
         "data matrix (samples × variables)": "data",
         "network (adjacency matrix, edge list, GraphML, GML)": "adjacency"}
#: How a data table is laid out (read_matrix's ``orientation``).
LAYOUTS = {"auto-detect (gene ids in rows = genes in rows)": "auto",
           "samples in rows": "samples-in-rows", "variables (genes) in rows": "variables-in-rows"}
#: Network files that are not tables (always read as networks).
GRAPH_FILES = (".graphml", ".gml", ".xml")
#: The example buttons: label, key, what they load.
EXAMPLES = [("Example data (2 conditions)", "example-data"),
            ("Example networks", "example-networks"),
            ("ReNette microbiome data", "microbiome-data"),
            ("ReNette microbiome networks", "microbiome-networks"),
            ("ReNette test networks (10)", "test-networks")]


class InputsPanel(w.VBox):
    """Upload files (one or many), choose how to read them, see what was loaded or rejected."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # file name -> its bytes (examples) or the uploaded file on disk, to re-read it
        # with other options
        self.raw: dict[str, bytes | Path] = {}
        self.failed: dict[str, str] = {}  # file name -> reason in words
        # name -> what auto-detection assumed ("data" | "adjacency"): the other reading is offered
        self.assumed: dict[str, str] = {}
        self.other = w.VBox()
        self.other.add_class("renette-other-readings")
        self.errors = ErrorBox()
        self.kind = w.Dropdown(options=KINDS, index=0, description="files are",
                               style={"description_width": "70px"}, layout=w.Layout(width="460px"))
        # index=0: the first option's value is None, which ipywidgets takes as "no selection"
        # (a blank dropdown in the page) unless the index is given.
        self.sep = w.Dropdown(options=SEPARATORS, index=0, description="separator",
                              layout=w.Layout(width="240px"))
        self.header = w.Checkbox(value=True, description="column names in first row", indent=False)
        self.row_names = w.Dropdown(options=ROW_NAMES, index=0, description="row names in first column",
                                    style={"description_width": "170px"}, layout=w.Layout(width="290px"))
        self.na = w.Dropdown(options=MISSING, description="missing values", style={"description_width": "100px"},
                             layout=w.Layout(width="320px"))
        self.layout_choice = w.Dropdown(options=LAYOUTS, index=0, description="table layout",
                                        style={"description_width": "90px"},
                                        layout=w.Layout(width="420px"))
        try:
            cap = max_upload_bytes()
        except InputError as exc:  # a bad RENETTE_MAX_UPLOAD_MB: said, and the default used
            self.errors.show(exc)
            cap = DEFAULT_MAX_UPLOAD_MB * 2**20
        # Not ipywidgets' FileUpload: it sends a file whole, and the server drops a
        # message over 10 MiB without a word (see upload.py).
        self.upload = ChunkedUpload(on_file=self._received, on_refused=self._refused,
                                    max_bytes=cap, accept=".csv,.tsv,.txt,.tab,.graphml,.gml,.xml,text/csv",
                                    description="Upload files")

        self.example_buttons = {}
        for label, key in EXAMPLES:
            b = w.Button(description=label, icon="database", layout=w.Layout(width="auto"))
            b.on_click(guarded(self.errors)(lambda _b, key=key: self.load_example(key)))
            self.example_buttons[key] = b

        self.loaded = w.HTML()
        self.rejected = w.HTML()
        self.preview_name = w.Dropdown(description="preview", layout=w.Layout(width="380px"))
        self.preview_name.observe(self._preview, "value")
        self.preview = w.HTML()
        self.reread = w.Button(description="re-read with the options above", icon="refresh",
                               layout=w.Layout(width="auto"))
        self.reread.on_click(guarded(self.errors)(self._reread))
        self.remove = w.Button(description="remove", icon="trash", layout=w.Layout(width="auto"))
        self.remove.on_click(guarded(self.errors)(self._remove))
        self.drop_constant = w.Button(description="drop constant columns", icon="filter",
                                      layout=w.Layout(width="auto"))
        self.drop_constant.on_click(guarded(self.errors)(self._drop_constant))
        self.flip = w.Button(description="transpose (read the other way round)", icon="exchange",
                             layout=w.Layout(width="auto"),
                             tooltip="Re-read the previewed data file with samples and variables "
                                     "swapped (genes in rows <-> samples in rows)")
        self.flip.on_click(guarded(self.errors)(self._flip))
        session.on("inputs", self.refresh)

        super().__init__([
            w.HTML("<b>Upload</b> CSV / TSV / ;-separated text files (data matrices, samples or genes "
                   "in rows; networks as adjacency matrices or edge lists), GraphML or GML files "
                   f"(told apart per file; up to {cap / 2**20:.0f} MB each), or load example data"),
            w.HBox([self.upload] + list(self.example_buttons.values()), layout=w.Layout(flex_flow="row wrap")),
            w.HTML("<b>How files are read</b> <span style='color:#555'>(detected per file; change an "
                   "option, then re-read a file below)</span>"),
            w.HBox([self.kind, self.sep]), w.HBox([self.header, self.row_names, self.na]),
            self.layout_choice, self.errors, self.rejected, self.loaded, self.other,
            w.HBox([self.preview_name, self.reread, self.flip, self.drop_constant, self.remove]),
            self.preview,
        ])
        self.refresh()

    # -------------------------------------------------------------- reading
    def options(self) -> dict:
        """The reading options chosen above the upload button."""
        return {"kind": self.kind.value, "sep": self.sep.value, "header": self.header.value,
                "row_names": self.row_names.value, "na": self.na.value,
                "orientation": self.layout_choice.value}

    def read(self, name: str, content: bytes | Path, origin: str = "upload",
             **options) -> str | None:
        """Read one file (its bytes, or its path on this machine) and add it to the
        session; a failure is listed, not raised.

        Returns the name it was added under, or None if it was rejected.
        """
        opts = {**self.options(), **options}
        self.raw[name] = content
        self.failed.pop(name, None)
        try:
            frame = _read(name, content, opts)
        except InputError as exc:
            stem = Path(name).stem
            if stem in self.session.data or stem in self.session.networks:
                # listed once, as it is: the earlier reading stays, the failure is said
                kind = "data matrix" if stem in self.session.data else "network"
                self.errors.show(f"{exc} It stays loaded as a {kind}.")
            else:
                self.failed[name] = str(exc)
            self.refresh()
            return None
        stem = Path(name).stem
        kind = frame.attrs.get("kind", opts["kind"])
        if opts["kind"] == "auto":
            self.assumed[stem] = kind
        else:
            self.assumed.pop(stem, None)
        added = self.session.add(stem, frame, kind, origin=origin)
        self.preview_name.value = added if added in self.preview_name.options else None
        return added

    def _received(self, name: str, path: Path) -> str | None:
        """An uploaded file is on disk: read it. None when it was loaded, else why not."""
        old = self.raw.get(name)
        added = self.read(name, path)
        if isinstance(old, Path) and old != path:
            old.unlink(missing_ok=True)  # the same file uploaded again
        self.refresh()
        if added:
            self.preview_name.value = added
            return None
        return self.failed.get(name, "it could not be read")

    def _refused(self, name: str, message: str) -> None:
        """A file the upload refused (over the cap) or lost: listed with the reason."""
        self.failed[name] = message
        self.refresh()

    def load_example(self, key: str) -> list[str]:
        """Load an example set (a key of ``EXAMPLES``); returns the names added."""
        if key in ("example-data", "example-networks"):
            kind = "data" if key == "example-data" else "adjacency"
            paths = [examples.example_path(f) for f in examples.EXAMPLE_FILES[kind]]
            added = [self.read(p.name, p.read_bytes(), origin="example", kind=kind, sep=",",
                               header=True, row_names=True) for p in paths]
        else:
            kind = examples.RENETTE_SETS[key][0]
            frames = examples.load_renette(key)
            added = [self.session.add(name, frame if kind == "data" else check_adjacency(frame),
                                      kind, origin="example (ReNette)")
                     for name, frame in frames.items()]
        self.refresh()
        return [a for a in added if a]

    def read_as(self, name: str, kind: str) -> str | None:
        """Read a loaded file again as ``kind`` ("data" or "adjacency"), with the
        other options it was read with; if that fails it stays as it was (said)."""
        file = self._file_of(name)
        if file is None:
            raise InputError(f"'{name}' was not uploaded as a file, so it cannot be re-read.")
        old = self.session.data.get(name, self.session.networks.get(name))
        old_kind = "data" if name in self.session.data else "adjacency"
        origin = self.session.origin.get(name, "upload")
        self.session.remove(name, notify=False)
        added = self.read(file, self.raw[file], origin=origin, kind=kind)
        if added is None:  # back as it was, listed once
            reason = self.failed.pop(file, "it could not be read")
            self.session.add(name, old, old_kind, origin=origin)
            self.assumed[name] = old_kind
            what = "a network" if kind == "adjacency" else "a data matrix"
            self.errors.show(f"'{name}' cannot be read as {what}: {reason} It stays loaded as "
                             f"{'a data matrix' if old_kind == 'data' else 'a network'}.")
        self.refresh()
        return added

    def _other_readings(self) -> list[w.Widget]:
        """For each file auto-detection read, what was assumed and the other reading."""
        rows = []
        for name, kind in self.assumed.items():
            if name not in self.session.data and name not in self.session.networks:
                continue
            other = "adjacency" if kind == "data" else "data"
            why = ("not a square matrix whose rows and columns name the same nodes"
                   if kind == "data" else "a square matrix whose rows and columns name the same nodes")
            note = w.HTML(f"<span style='font-size:12px'><b>{html.escape(name)}</b> was read as a "
                          f"<b>{'data matrix' if kind == 'data' else 'network'}</b> "
                          f"(auto-detected: {why}).</span>")
            button = w.Button(description=f"read it as a {'network' if other == 'adjacency' else 'data matrix'}"
                              " instead", icon="exchange", layout=w.Layout(width="auto"))
            button.add_class("renette-other-reading")
            button.on_click(guarded(self.errors)(lambda _b, n=name, k=other: self.read_as(n, k)))
            rows.append(w.HBox([note, button], layout=w.Layout(align_items="center")))
        return rows

    # -------------------------------------------------------------- listing
    def _file_of(self, name: str) -> str | None:
        return next((f for f in self.raw if Path(f).stem == name), None)

    def _reread(self, _button=None) -> None:
        name = self.preview_name.value
        if not name:
            raise InputError("Choose a loaded file to re-read in the preview list.")
        file = self._file_of(name)
        if file is None:
            raise InputError(f"'{name}' was not uploaded as a file, so it cannot be re-read.")
        self.session.remove(name)
        self.read(file, self.raw[file])
        self.refresh()

    def _flip(self, _button=None) -> None:
        """Re-read the previewed data file the other way round (samples <-> variables in rows)."""
        name = self.preview_name.value
        frame = self.session.data.get(name) if name else None
        file = self._file_of(name) if name else None
        if frame is None or file is None:
            raise InputError("Choose a data matrix read from a file in the preview list.",
                             hint="Only data files can be read the other way round.")
        other = ("samples-in-rows" if frame.attrs.get("orientation") == "variables-in-rows"
                 else "variables-in-rows")
        self.session.remove(name)
        if self.read(file, self.raw[file], kind="data", orientation=other) is None:
            self.refresh()

    def _drop_constant(self, _button=None) -> None:
        """Replace the previewed data matrix by a copy without its constant columns (noted)."""
        name = self.preview_name.value
        frame = self.session.data.get(name) if name else None
        if frame is None:
            raise InputError("Choose a loaded data matrix in the preview list.",
                             hint="Constant columns are dropped from data matrices, not from networks.")
        if not constant_columns(frame):
            raise InputError(f"'{name}' has no constant column: nothing to drop.")
        self.session.add(name, check_data(frame, drop_constant=True, name=name), "data",
                         origin=self.session.origin.get(name, "upload"))

    def _remove(self, _button=None) -> None:
        name = self.preview_name.value
        if name:
            file = self._file_of(name)
            if file is not None and isinstance(self.raw[file], Path):
                self.raw.pop(file).unlink(missing_ok=True)
            self.session.remove(name)

    def refresh(self) -> None:
        """Redraw the lists of loaded and rejected files."""
        s = self.session
        rows = []
        for kind, frames in (("data", s.data), ("network", s.networks)):
            for name, f in frames.items():
                # notes are sentences: one after the other (no "; " after a full stop)
                notes = " ".join(n if n.rstrip().endswith((".", "!", "?")) else n + "."
                                 for n in getattr(f, "attrs", {}).get("notes", []))
                rows.append(f"<tr><td>{html.escape(name)}</td><td>{kind}</td>"
                            f"<td>{f.shape[0]} × {f.shape[1]}</td><td>{html.escape(s.origin.get(name, ''))}</td>"
                            f"<td style='text-align:left;color:#555'>{html.escape(notes)}</td></tr>")
        self.loaded.value = ("<b>Loaded</b><table class='renette-table'><tr><th>name</th><th>kind</th>"
                             "<th>rows × columns</th><th>from</th><th>notes</th></tr>" + "".join(rows)
                             + "</table>") if rows else "<i>Nothing loaded yet.</i>"
        self.other.children = self._other_readings()
        # a file loaded under its name is not also listed as rejected
        self.failed = {n: r for n, r in self.failed.items()
                       if Path(n).stem not in s.data and Path(n).stem not in s.networks}
        self.rejected.value = "".join(
            f"<div style='color:#b00020' class='renette-rejected'>&#10007; <b>{html.escape(n)}</b> rejected: "
            f"{html.escape(r)}</div>" for n, r in self.failed.items())
        names = list(s.data) + list(s.networks)
        current = self.preview_name.value
        self.preview_name.options = names
        self.preview_name.value = current if current in names else (names[-1] if names else None)
        self._preview()

    def _preview(self, _change: dict | None = None) -> None:
        name = self.preview_name.value
        frame = self.session.data.get(name, self.session.networks.get(name)) if name else None
        if frame is None:
            self.preview.value = ""
        elif isinstance(frame, pd.DataFrame):
            self.preview.value = frame_html(frame, max_rows=6)
        else:
            self.preview.value = frame_html(corner(frame), max_rows=6, shape=frame.shape)


def corner(m) -> pd.DataFrame:
    """The first rows and columns of a matrix kept in the store (a network inferred
    here), read from disk: enough for a preview, without loading the whole."""
    rows, cols = min(m.shape[0], 6), min(m.shape[1], 12)
    return pd.DataFrame(m.block(slice(0, rows), slice(0, cols)), index=m.rows[:rows],
                        columns=m.cols[:cols])


def _read(name: str, content: bytes | Path, opts: dict):
    """A file as a data matrix or network (adjacency matrix, edge list, GraphML, GML)."""
    fmt = "adjacency"
    if opts["kind"] != "data" or name.lower().endswith(GRAPH_FILES):
        if isinstance(content, Path):  # the first lines tell (an upload may be 200 MB)
            with open(content, "rb") as fh:
                head = fh.read(65536)
        fmt = detect_format(head if isinstance(content, Path) else content, name)
    if fmt in ("edgelist", "graphml", "gml"):
        header = None if opts["header"] else False
        return read_network(content, fmt, name=name, header=header, sep=opts["sep"])
    return read_matrix(content if isinstance(content, Path) else io.BytesIO(content),
                       name=name, **opts)
