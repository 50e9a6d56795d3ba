# netstats(): what ReNette's "statistics" page promised, computed with igraph.
# Weights are edge weights (no rescaling); self-loops are dropped.

# Run expr with set.seed(seed), leaving the caller's random stream untouched.
with_seed <- function(seed, expr) {
  had <- exists(".Random.seed", envir = globalenv(), inherits = FALSE)
  if (had) old <- get(".Random.seed", envir = globalenv())
  on.exit(if (had) assign(".Random.seed", old, envir = globalenv())
          else rm(".Random.seed", envir = globalenv()))
  set.seed(seed)
  expr
}

#' Node and network statistics of a weighted network
#'
#' Per-node and per-network statistics computed with igraph (what ReNette's
#' statistics page promised). Weights are used as edge weights, without
#' rescaling; self-loops are dropped.
#'
#' @param A a network: square numeric matrix (weights >= 0), data.frame,
#'   Matrix or igraph object. Asymmetric means directed.
#' @param seed seed of the random choices (Louvain's node order, ARPACK's
#'   start vector); the caller's random stream is left untouched.
#'
#' @return \code{list(nodes = , network = )}.
#'   \code{nodes}: a data.frame with one row per node: \code{node} (name),
#'   \code{strength} (sum of weights, in + out when directed), \code{degree}
#'   (number of edges), \code{community} (Louvain on the weighted graph; a
#'   directed graph is first made undirected by summing reciprocal weights),
#'   \code{pagerank} (weighted, damping 0.85), \code{eigenvector} (weighted
#'   eigenvector centrality scaled to max 1), \code{alpha} (alpha centrality
#'   with exogenous score 1 and alpha = 0.5 / spectral radius, which always
#'   converges), \code{eccentricity} (in hops, ignoring weights).
#'   \code{network}: a one-row data.frame: \code{n_nodes}, \code{n_edges},
#'   \code{density} (edges / possible edges), \code{total_weight},
#'   \code{modularity} (weighted, of the Louvain communities; \code{NA} without
#'   edges), \code{n_communities}, \code{radius} (in hops), \code{directed}.
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(40 * 6), 40, 6, dimnames = list(NULL, paste0("g", 1:6)))
#' s <- netstats(mat2adj(x), seed = 1)
#' s$nodes
#' s$network
#' @export
netstats <- function(A, seed = 0) {
  # Louvain and ARPACK's start vector draw from R's RNG: seeding the whole
  # computation makes every column reproducible
  with_seed(seed, node_network_stats(A))
}

node_network_stats <- function(A) {
  A <- as_network(A, "A")
  if (any(A < 0))
    input_error("Network A has negative weights: network statistics need weights >= 0 ",
                "(use absolute values, or rescale to [0, 1]).")
  diag(A) <- 0
  nm <- colnames(A)
  if (is.null(nm)) nm <- as.character(seq_len(ncol(A)))
  dimnames(A) <- list(nm, nm)
  directed <- is_directed(A)
  g <- igraph::graph_from_adjacency_matrix(A, mode = if (directed) "directed" else "undirected",
                                           weighted = TRUE, diag = FALSE)
  w <- igraph::E(g)$weight
  # Louvain needs an undirected graph: a directed one is collapsed (weights summed)
  gu <- if (directed) igraph::as.undirected(g, mode = "collapse",
                                            edge.attr.comb = list(weight = "sum")) else g
  comm <- igraph::cluster_louvain(gu, weights = igraph::E(gu)$weight)
  memb <- as.integer(igraph::membership(comm))
  # alpha centrality converges for alpha < 1 / spectral radius: use half of it
  lam <- max(Mod(eigen(A, only.values = TRUE)$values))
  alpha <- if (lam > 0) 0.5 / lam else 1
  has_edges <- igraph::ecount(g) > 0
  nodes <- data.frame(
    node = nm,
    strength = unname(igraph::strength(g, mode = "all", weights = w)),
    degree = unname(igraph::degree(g, mode = "all")),
    community = memb,
    pagerank = unname(igraph::page_rank(g, weights = w)$vector),
    eigenvector = if (has_edges) unname(suppressWarnings(
      igraph::eigen_centrality(g, directed = directed, weights = w)$vector)) else rep(0, length(nm)),
    alpha = if (has_edges) unname(igraph::alpha_centrality(g, alpha = alpha, weights = "weight",
                                                          sparse = FALSE)) else rep(1, length(nm)),
    eccentricity = unname(igraph::eccentricity(g, mode = "all")),
    stringsAsFactors = FALSE)
  network <- data.frame(
    n_nodes = igraph::vcount(g),
    n_edges = igraph::ecount(g),
    density = igraph::edge_density(g),
    total_weight = sum(w),
    modularity = if (has_edges) igraph::modularity(gu, memb, weights = igraph::E(gu)$weight) else NA_real_,
    n_communities = length(unique(memb)),
    radius = igraph::radius(g, mode = "all"),
    directed = directed)
  list(nodes = nodes, network = network)
}
