# Input errors as R conditions, so callers (and the Python side) can tell a
# user mistake from a bug by its class instead of parsing message text.

#' Signal an input error
#'
#' @param ... pieces of the message, pasted together without separator.
#' @param call the call to report (defaults to the caller's caller).
#' @return never returns: signals a condition of class
#'   c("renette_input_error", "error", "condition").
#' @noRd
input_error <- function(..., call = sys.call(-1)) {
  msg <- paste0(...)
  cond <- structure(class = c("renette_input_error", "error", "condition"),
                    list(message = msg, call = call))
  stop(cond)
}

# "a, b, c and 12 more": names in messages stay short for wide data.
name_list <- function(x, max = 8) {
  x <- as.character(x)
  if (length(x) <= max) return(paste(x, collapse = ", "))
  paste0(paste(x[seq_len(max)], collapse = ", "), " and ", length(x) - max, " more")
}
