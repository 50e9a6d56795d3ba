# Turning what users pass as "a network" into a plain numeric square matrix,
# with input errors that name the offending network (see input-error.R).

# TRUE for a list of networks, FALSE for a single network. igraph objects and
# data frames are lists internally, so they are excluded explicitly.
is_network_list <- function(x) {
  is.list(x) && !is.data.frame(x) && !inherits(x, "igraph") && !inherits(x, "Matrix")
}

# Coerce one network (matrix, data.frame, Matrix, igraph) to a numeric matrix.
# igraph: the "weight" edge attribute (binary without it), diagonal zeroed;
# matrix input keeps its diagonal (nettools convention).
as_network <- function(x, label) {
  if (inherits(x, "igraph")) {
    has_w <- "weight" %in% igraph::edge_attr_names(x)
    A <- as.matrix(igraph::as_adjacency_matrix(x, attr = if (has_w) "weight" else NULL,
                                               sparse = FALSE))
    diag(A) <- 0
    if (is.null(colnames(A)) && !is.null(igraph::V(x)$name))
      dimnames(A) <- list(igraph::V(x)$name, igraph::V(x)$name)
  } else if (inherits(x, "Matrix")) {
    A <- as.matrix(x)
  } else if (is.data.frame(x)) {
    bad <- names(x)[!vapply(x, function(col) is.numeric(col) || is.logical(col), TRUE)]
    if (length(bad))
      input_error("Network ", label, " has non-numeric columns (", name_list(bad),
                  "): an adjacency matrix must contain only numbers.")
    A <- as.matrix(x)
  } else if (is.matrix(x)) {
    if (!is.numeric(x) && !is.logical(x))
      input_error("Network ", label, " is a ", typeof(x), " matrix: an adjacency ",
                  "matrix must contain only numbers.")
    A <- x
  } else {
    input_error("Network ", label, " is a ", class(x)[1], ": give a square numeric ",
                "matrix, data.frame, Matrix or igraph object.")
  }
  if (!is.double(A)) storage.mode(A) <- "double"
  if (nrow(A) != ncol(A))
    input_error("Network ", label, " is not square: it has ", nrow(A), " rows and ",
                ncol(A), " columns (an adjacency matrix needs one row and one ",
                "column per node).")
  if (nrow(A) < 2)
    input_error("Network ", label, " has fewer than 2 nodes.")
  if (anyNA(finite_range(A))) {  # one C++ pass; NA or +-Inf somewhere
    w <- which(!is.finite(A), arr.ind = TRUE)[1, ]
    input_error("Network ", label, " has a missing or infinite value (row ", w[1],
                ", column ", w[2], "): fill it in (0 means no edge).")
  }
  A
}

# Coerce a list of networks and check they all have the same size.
as_network_list <- function(nets, labels) {
  nets <- Map(as_network, nets, labels)
  n <- vapply(nets, nrow, 1L)
  if (any(n != n[1])) {
    j <- which(n != n[1])[1]
    input_error("Networks ", labels[1], " and ", labels[j], " have different sizes (",
                n[1], " and ", n[j], " nodes): distances need networks on the ",
                "same nodes.")
  }
  unname(nets)
}

# Asymmetric means directed. isSymmetric() (tolerance 100 eps, as nettools)
# only runs when the fast exact check in C++ fails.
is_directed <- function(A) {
  !(exactly_symmetric_matrix(A) || isSymmetric(unname(A)))
}

# Two conditions (samples x variables each) for the differential functions:
# numeric matrices on the same variables in the same order. When both have
# column names, the variables they share are kept in x's order (a message
# says how many were left out); without names the counts must agree and the
# names become V1..Vp. Returns list(x, y).
align_conditions <- function(x, y, caller) {
  x <- condition_matrix(x, "x (condition A)")
  y <- condition_matrix(y, "y (condition B)")
  cx <- colnames(x)
  cy <- colnames(y)
  for (nm in list(list(cx, "x"), list(cy, "y"))) {
    dup <- unique(nm[[1]][duplicated(nm[[1]])])
    if (length(dup))
      input_error(caller, "(): ", nm[[2]], " has duplicated column names (",
                  name_list(dup), "): each variable must appear once.")
  }
  if (!is.null(cx) && !is.null(cy)) {
    if (!setequal(cx, cy)) {
      shared <- cx[cx %in% cy]
      only_x <- setdiff(cx, cy)
      only_y <- setdiff(cy, cx)
      if (length(shared) < 2L)
        input_error(caller, "(): x and y share ", length(shared), " variable name(s) ",
                    "(x has ", ncol(x), " columns, y ", ncol(y), "): both conditions ",
                    "need the same variables (columns).")
      message(caller, "(): ", length(only_x) + length(only_y), " variable(s) present in ",
              "only one condition were left out (", length(only_x), " only in x",
              if (length(only_x)) paste0(": ", name_list(only_x)), "; ", length(only_y),
              " only in y", if (length(only_y)) paste0(": ", name_list(only_y)),
              "); ", length(shared), " shared variables are compared.")
      x <- x[, shared, drop = FALSE]
      y <- y[, shared, drop = FALSE]
    } else if (!identical(cx, cy)) {
      y <- y[, cx, drop = FALSE]   # the same variables in another order
    }
  } else {
    if (ncol(x) != ncol(y))
      input_error(caller, "(): x has ", ncol(x), " variables (columns) and y has ",
                  ncol(y), ", and without column names on both they cannot be ",
                  "aligned: give both conditions the same variables in the same ",
                  "order, or name the columns.")
    nm <- if (!is.null(cx)) cx else if (!is.null(cy)) cy else paste0("V", seq_len(ncol(x)))
    colnames(x) <- colnames(y) <- nm
  }
  if (ncol(x) < 2L)
    input_error(caller, "(): at least 2 variables (columns) are needed; the data have ",
                ncol(x), ".")
  list(x = x, y = y)
}

# One condition as a numeric matrix; input errors name the condition.
condition_matrix <- function(x, label) {
  tryCatch(as_data_matrix(x), renette_input_error = function(e)
    input_error(label, ": ", conditionMessage(e), call = NULL))
}
