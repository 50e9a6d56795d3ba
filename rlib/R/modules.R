# Modules of a network (issue 22): hierarchical clustering of 1 - A (average
# linkage), cut with dynamicTreeCut::cutreeDynamic as WGCNA does.

#' Modules of a network by hierarchical clustering and a dynamic tree cut
#'
#' The nodes of a weighted network with weights in \[0, 1\] (e.g. the mean of
#' two conditions' correlation networks) are clustered with
#' \code{hclust(as.dist(1 - A), "average")} and the tree is cut with
#' \code{dynamicTreeCut::cutreeDynamic} (hybrid method on \eqn{1 - A}, as
#' WGCNA's \code{blockwiseModules} does).
#'
#' @param A a square network, weights in \[0, 1\] (rescaled as \code{netdist}
#'   does otherwise).
#' @param min_size the smallest module (\code{minClusterSize}).
#' @param deep_split \code{deepSplit} of \code{cutreeDynamic}, 0 to 4.
#' @return an integer vector, one module number per node (1 = the largest
#'   module); 0 for the nodes in no module.
#' @examples
#' set.seed(1)
#' x <- matrix(rnorm(40 * 30), 40)
#' x[, 1:10] <- x[, 1:10] + 2 * rnorm(40)
#' network_modules(mat2adj(x), min_size = 5)
#' @export
network_modules <- function(A, min_size = 10L, deep_split = 2L) {
  A <- rescale_network(as_network(A, "A"))
  if (!is.numeric(min_size) || length(min_size) != 1L || is.na(min_size) || min_size < 2)
    input_error("min_size must be one whole number >= 2 (got ", format(min_size), ").")
  D <- 1 - A
  diag(D) <- 0
  tree <- stats::hclust(stats::as.dist(D), method = "average")
  labels <- dynamicTreeCut::cutreeDynamic(tree, distM = D, deepSplit = as.integer(deep_split),
                                          minClusterSize = as.integer(min_size),
                                          pamRespectsDendro = FALSE, verbose = 0)
  as.integer(labels)
}
