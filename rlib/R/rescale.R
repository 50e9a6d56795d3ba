# nettools' weight convention: weights must lie in [0, 1]; a network with any
# entry outside is min-max rescaled as a whole (diagonal included), separately
# from the other networks. Kept because the reference numbers depend on it.

#' @rdname building_blocks
#' @export
rescale_network <- function(A, label = NULL) {
  A <- as_network(A, if (is.null(label)) "A" else label)
  if (all(A >= 0 & A <= 1)) return(A)
  lo <- min(A); hi <- max(A)
  if (hi == lo)
    input_error("Network ", if (is.null(label)) "A" else label, " has all weights equal to ",
                lo, ", outside [0, 1], so it cannot be rescaled.")
  # a classed warning, so callers can gather the rescaled networks' names
  label <- if (is.null(label)) "A" else label
  warning(structure(class = c("renette_rescaled", "warning", "condition"), list(
    message = paste0("Edge weights of network ", label, " are outside [0, 1] (min ",
                     signif(lo, 4), ", max ", signif(hi, 4), "): the whole matrix was ",
                     "min-max rescaled to [0, 1] (nettools convention)."),
    call = NULL, network = label)))
  (A - lo) / (hi - lo)
}
