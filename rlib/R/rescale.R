# nettools' weight convention: weights must lie in [0, 1]; a network with any
# entry outside is min-max rescaled as a whole (diagonal included), separately
# from the other networks. Kept because the reference numbers depend on it.

#' @rdname building_blocks
#' @export
rescale_network <- function(A, label = NULL) {
  label <- if (is.null(label)) "A" else label
  rescale_checked(as_network(A, label), label)
}

# rescale_network() on a matrix already checked by as_network().
rescale_checked <- function(A, label) {
  r <- finite_range(A)
  if (r[1] >= 0 && r[2] <= 1) return(A)
  if (r[2] == r[1])
    input_error("Network ", label, " has all weights equal to ", r[1],
                ", outside [0, 1], so it cannot be rescaled.")
  # a classed warning, so callers can gather the rescaled networks' names
  warning(structure(class = c("renette_rescaled", "warning", "condition"), list(
    message = paste0("Edge weights of network ", label, " are outside [0, 1] (min ",
                     signif(r[1], 4), ", max ", signif(r[2], 4), "): the whole matrix ",
                     "was min-max rescaled to [0, 1] (nettools convention)."),
    call = NULL, network = label)))
  (A - r[1]) / (r[2] - r[1])
}
