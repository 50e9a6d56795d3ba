"""Plotly figure builders for ReNette results (pure functions; no ipywidgets).

Every builder takes results as pandas/numpy objects (as returned by the API
and stored by jobs) and returns a :class:`plotly.graph_objects.Figure`. The
dashboard wraps them in ``FigureWidget``; the API user can ``.show()`` them or
write them to HTML. Layout and clustering are computed here in numpy (seeded),
so the same result always gives the same picture.
"""
from .common import PALETTE, short_labels
from .distance import (cluster_order, distance_heatmap, him_scatter, label_positions,
                       mds_coordinates, mds_map)
from .network import (adjacency_heatmap, communities, default_threshold, degree_histogram,
                      edge_weights, edges_cut, fmt_weight, layout, network_pair, network_view,
                      strengths, weight_histogram)
from .stability import (hub_strength_boxes, stability_boxes, stability_histogram,
                        value_histogram)

__all__ = ["PALETTE", "short_labels", "cluster_order", "distance_heatmap", "him_scatter",
           "label_positions", "mds_coordinates", "mds_map", "adjacency_heatmap", "communities",
           "default_threshold", "degree_histogram", "edge_weights", "edges_cut", "fmt_weight",
           "layout", "network_pair", "network_view",
           "strengths", "weight_histogram", "hub_strength_boxes", "stability_boxes",
           "stability_histogram", "value_histogram"]
