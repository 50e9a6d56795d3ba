"""The dashboard's ipywidgets panels (the only place ipywidgets is imported).

One file per panel (inputs, inference, distance, stability, statistics, jobs,
results); ``app.build_app()`` composes them into the root widget the notebook
displays. Panels share a :class:`~renette_widgets.widgets.session.Session`
(loaded matrices and jobs; plain Python) and draw with the pure plotly
builders of :mod:`renette_widgets.figures`.
"""
