"""What the columns of a result's text files mean: the README beside the CSV tables
of a job's zip (:mod:`renette_widgets.workflows.textfiles`)."""
from __future__ import annotations

#: Column name -> what it holds (every table a built-in workflow exports).
COLUMNS = {
    # networks as edge lists, matrices
    "node 1": "first node of the edge", "node 2": "second node of the edge",
    "weight": "the edge's weight in the network",
    # statistics: nodes
    "node": "the node's (variable's) name",
    "strength": "sum of the weights of the node's edges counted (weighted degree)",
    "degree": "number of edges counted at the node",
    "community": "the node's community (multilevel modularity; 1 = the largest)",
    "pagerank": "PageRank centrality (weighted)", "eigenvector": "eigenvector centrality (weighted)",
    "alpha": "alpha (Katz) centrality", "eccentricity": "largest number of steps to another node",
    "betweenness": "betweenness centrality (shortest paths through the node)",
    "closeness": "closeness centrality", "clustering": "clustering coefficient (unweighted)",
    "clustering_weighted": "clustering coefficient (weighted, Barrat)",
    # statistics: the network
    "n_nodes": "nodes", "n_edges": "edges counted", "density": "share of possible edges counted (0-1)",
    "total_weight": "sum of the counted edges' weights", "modularity": "modularity of the communities",
    "n_communities": "number of communities", "radius": "smallest eccentricity",
    "directed": "whether the network is directed (not symmetric)",
    "threshold": "how the edges were counted (all, weight, top k per node, density)",
    "weight_cut": "the weight above which edges were counted",
    "edges_given": "edges of the network before counting",
    # differential: pairs
    "var1": "first variable of the pair", "var2": "second variable of the pair",
    "r_A": "correlation of the pair in condition A (the first of the comparison)",
    "p_A": "p-value of r_A", "r_B": "correlation of the pair in condition B (the second)",
    "p_B": "p-value of r_B",
    "z_diff": "difference of the Fisher z of r_B and r_A, standardised (> 0: more correlated in B)",
    "p_diff": "p-value of z_diff", "q_diff": "z_diff's p-value adjusted (FDR: BH or permutations)",
    "class": "sign of the correlation in A / in B: + positive, - negative, 0 not significant",
    # differential: nodes, classes, edges across conditions
    "d": "differential connectivity of the node (change of its edges between the conditions)",
    "p": "permutation p-value of d", "q": "permutation q-value (FDR) of d",
    "hamming_share": "the node's share of the Hamming distance between the conditions' networks",
    "mean_z": "mean z_diff of the node's pairs", "median_z": "median z_diff of the node's pairs",
    "n_significant": "the node's significant pairs (q_diff <= FDR threshold)",
    "pairs": "pairs of the class", "significant": "significant pairs of the class",
    "summary": "the edge across conditions: same sign in all, different signs, or only in some",
    "n_present": "conditions in which the edge is present (|r| above the presence threshold)",
    # stability
    "S": "stability S: mean distance of the resampled networks to the network of all samples "
         "(lower: more stable)",
    "SI": "stability SI: mean distance between resampled networks (lower: more stable)",
    "metric": "the distance used (H, IM or HIM)", "n_resamples": "number of resamples",
    "edge": "the edge (its two nodes)", "i": "first node of the edge", "j": "second node of the edge",
    "Sw": "edge stability: range of the edge's weight over the resamples (lower: more stable)",
    "Sd": "node stability: spread of the node's strength over the resamples (lower: more stable)",
    "resample": "the resample's number", "r1": "first resample", "r2": "second resample",
    # distance pairs
    "network 1": "first network of the pair", "network 2": "second network of the pair",
    "H": "Hamming distance (0-1)", "IM": "Ipsen-Mikhailov distance (0-1)",
    "HIM": "HIM distance (0-1), combining H and IM",
}

#: What a matrix file holds, by its kind.
MATRICES = {
    "network": "a network: rows and columns are its nodes, each cell the weight of the edge",
    "matrix": "a matrix with names on its rows and columns (distances: 0 = identical networks, "
              "1 = the empty vs the complete network)",
    "indexed": "a table whose first column names its rows",
    "edges": "the network's strongest edges, one a line (the whole network is too large for a "
             "spreadsheet; the whole matrix is in the job's folder, Zarr)",
}


def meaning(column: str) -> str:
    """What a column holds ("" when unknown). Columns named after a condition
    (``r_<condition>``) are correlations in that condition."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column.startswith("r_"):
        return f"correlation of the pair in condition {column[2:]}"
    return ""


def readme(title: str, files: list[tuple[str, str, list[str]]]) -> str:
    """A README (Markdown) of text files: ``(file name, kind, columns)`` each, kind
    ``"table"``, ``"network"``, ``"matrix"``, ``"indexed"`` or ``"edges"``."""
    out = [f"# {title}", "",
           "CSV files (comma-separated, a header row, numbers with up to 17 significant digits), "
           "one per table or matrix of the result. The job's `manifest.json` (one folder up) "
           "says how it was computed; the binary files beside it (Zarr, Parquet) hold the same "
           "numbers.", ""]
    for name, kind, columns in files:
        out.append(f"## {name}")
        out.append("")
        if kind in MATRICES and kind != "indexed":
            out.append(MATRICES[kind] + ".")
            if kind != "edges":
                out.append("")
                continue
        elif kind == "indexed":
            if not any(meaning(str(c)) for c in columns):
                out.append(MATRICES[kind] + f"; then one column per name ({len(columns)}: "
                           f"{', '.join(map(str, columns[:5]))}{', ...' if len(columns) > 5 else ''}).")
                out.append("")
                continue
            out.append(MATRICES[kind] + "; the other columns:")
        out.append("")
        out.append("| column | meaning |")
        out.append("|---|---|")
        for c in columns[:60]:
            out.append(f"| {c} | {meaning(str(c)) or 'see docs/dashboard.md'} |")
        if len(columns) > 60:
            out.append(f"| ... | {len(columns) - 60} more columns of the same kind |")
        out.append("")
    return "\n".join(out) + "\n"
