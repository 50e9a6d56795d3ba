# netSI behaviour beyond the corpus: each indicator alone, argument routing,
# directed strengths, Sw in blocks, errors naming the resample.

netsi_data <- function() {
  set.seed(11)
  x <- matrix(rnorm(20 * 5), 20, 5, dimnames = list(NULL, paste0("g", 1:5)))
  x[, 2] <- x[, 1] + rnorm(20, sd = 0.5)
  x
}

test_that("each indicator alone equals its value in 'all'", {
  x <- netsi_data()
  all <- netSI(x, h = 5)
  for (ind in c("S", "SI", "Sw", "Sd")) {
    one <- netSI(x, indicator = ind, h = 5)
    expect_named(one, ind)
    expect_identical(one[[ind]], all[[ind]])
  }
  two <- netSI(x, indicator = c("Sd", "S"), h = 5, save = TRUE)
  expect_true(all(c("S", "Sd", "S_boot", "Sd_boot", "ADJ", "ADJlist", "indices") %in% names(two)))
  expect_false(any(c("SI", "Sw", "SI_boot") %in% names(two)))
  expect_error(netSI(x, indicator = "X"), class = "renette_input_error")
})

test_that("extra arguments reach mat2adj and netdist", {
  x <- netsi_data()
  a <- netSI(x, adj.method = "WGCNA", P = 3, h = 4, save = TRUE)
  expect_equal(a$ADJ, mat2adj(x, infer.method = "WGCNA", P = 3))
  b <- netSI(x, d = "IM", ga = 0.2, h = 4, save = TRUE)
  expect_equal(b$S_boot[1], unname(netdist(b$ADJ, b$ADJlist[[1]], d = "IM", ga = 0.2)), tolerance = 1e-15)
  r <- netSI(x, rho = 2, h = 4, save = TRUE)
  expect_equal(r$SI_boot[1],
               unname(netdist(r$ADJlist[[1]], r$ADJlist[[2]], rho = 2)["HIM"]), tolerance = 1e-15)
})

test_that("netsi_sw and netsi_sd handle symmetric and directed networks", {
  set.seed(2)
  adj <- array(runif(3 * 3 * 4), c(3, 3, 4), dimnames = list(c("a", "b", "c"), c("a", "b", "c"), NULL))
  sw <- netsi_sw(adj, symm = FALSE)
  expect_length(sw, 6)
  w12 <- adj[1, 2, ]
  expect_equal(unname(sw["1-2"]), (max(w12) - min(w12)) / mean(w12))
  sd <- netsi_sd(adj)
  expect_named(sd, c("a-in", "b-in", "c-in", "a-out", "b-out", "c-out"))
  s <- apply(adj, 3, function(A) A + t(A))
  sym <- array(s, c(3, 3, 4), dimnames = dimnames(adj))
  expect_named(netsi_sd(sym), c("a", "b", "c"))
  expect_length(netsi_sw(sym), 3)
  zero <- array(0, c(3, 3, 2))
  expect_true(all(is.na(netsi_sw(zero))))
  # Sd from strengths summed elsewhere: the same numbers, nodes numbered
  strengths <- function(a) list(t(apply(a, 3, rowSums)), t(apply(a, 3, colSums)))
  for (a in list(adj, sym)) {
    s <- strengths(a)
    expect_identical(unname(netsi_sd_strengths(s[[1]], s[[2]])), unname(netsi_sd(a)))
  }
  expect_named(netsi_sd_strengths(strengths(sym)[[1]], strengths(sym)[[2]]), c("1", "2", "3"))
  expect_error(netsi_sd_strengths(matrix(1, 2, 3), matrix(1, 3, 2)), class = "renette_input_error")
})

test_that("netsi_sw in blocks of rows gives the parts of the whole", {
  set.seed(3)
  adj <- array(runif(6 * 6 * 5), c(6, 6, 5))
  for (symm in c(TRUE, FALSE)) {
    whole <- netsi_sw(adj, symm = symm)
    parts <- c(netsi_sw(adj, symm = symm, rows = 1:2), netsi_sw(adj, symm = symm, rows = 3),
               netsi_sw(adj, symm = symm, rows = c(6, 4, 5)))
    expect_identical(parts, whole)
  }
  expect_identical(netsi_sw(adj[3:4, , ], rows = 3:4), netsi_sw(adj, rows = 3:4))
  expect_identical(netsi_sw(adj[c(2, 5), , ], symm = FALSE, rows = c(5, 2)),
                   netsi_sw(adj, symm = FALSE, rows = c(2, 5)))
  expect_error(netsi_sw(adj[1:2, , ], rows = 1:3), class = "renette_input_error")
  expect_length(netsi_sw(adj, rows = 6), 0)  # i < j: the last node starts no edge
  old_order <- t(utils::combn(6, 2))
  expect_identical(names(netsi_sw(adj)), paste(old_order[, 1], old_order[, 2], sep = "-"))
})

test_that("an input error on one resample says which resample", {
  x <- netsi_data()
  x[, 3] <- 0
  x[1, 3] <- 5   # constant once row 1 is left out
  expect_error(netSI(x, resamp.method = "LOO"), "Resample 1 of 20",
               class = "renette_input_error")
})
