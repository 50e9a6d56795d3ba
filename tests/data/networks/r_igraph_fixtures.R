# The R igraph fixtures of tests/test_networks.py: networks written by R's igraph
# as GraphML, GML and an as_data_frame() edge list CSV, next to the adjacency
# matrices that produced them. Run: Rscript r_igraph_fixtures.R [output folder]
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "."
suppressPackageStartupMessages(library(igraph))
set.seed(25)
nm <- c("TP53", "MDM2", "CDKN1A", "BAX", "ATM", "CHEK2", "GADD45A", "SESN1")
n <- length(nm)
# undirected, weighted, every node with an edge (a ring plus random chords)
A <- matrix(0, n, n, dimnames = list(nm, nm))
A[upper.tri(A)] <- round(runif(n * (n - 1) / 2), 6) * (runif(n * (n - 1) / 2) < 0.4)
for (i in seq_len(n)) A[i, i %% n + 1] <- round(runif(1), 6) + 0.01
A[lower.tri(A)] <- 0
A <- A + t(A)
g <- graph_from_adjacency_matrix(A, mode = "undirected", weighted = TRUE)
write.csv(A, file.path(out, "r_adjacency.csv"))
write_graph(g, file.path(out, "r_igraph.graphml"), "graphml")
write_graph(g, file.path(out, "r_igraph.gml"), "gml")
write.csv(as_data_frame(g), file.path(out, "r_igraph_edges.csv"), row.names = FALSE)
# directed, weighted, with an isolated node (SESN1) that only GraphML can carry
D <- matrix(round(runif(n * n), 6) * (runif(n * n) < 0.4), n, n, dimnames = list(nm, nm))
diag(D) <- 0
D["SESN1", ] <- 0
D[, "SESN1"] <- 0
gd <- graph_from_adjacency_matrix(D, mode = "directed", weighted = TRUE)
write.csv(D, file.path(out, "r_directed_adjacency.csv"))
write_graph(gd, file.path(out, "r_directed.graphml"), "graphml")
write.csv(as_data_frame(gd), file.path(out, "r_directed_edges.csv"), row.names = FALSE)
