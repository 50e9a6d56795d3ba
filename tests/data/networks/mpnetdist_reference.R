# renette::mpnetdist of two multiplex networks given as layer files (adjacency CSVs with
# row names), the reference of tests/test_multiplex.py. Prints H, IM, HIM (17 digits).
# Rscript mpnetdist_reference.R COUPLING RHO L x_1.csv ... x_L.csv y_1.csv ... y_L.csv
args <- commandArgs(trailingOnly = TRUE)
coupling <- as.numeric(args[1]); rho <- as.numeric(args[2]); l <- as.integer(args[3])
files <- args[-(1:3)]
layers <- function(f) {
  mats <- lapply(f, function(p) as.matrix(read.csv(p, row.names = 1, check.names = FALSE)))
  array(unlist(mats), c(dim(mats[[1]]), length(mats)))
}
I <- coupling * (1 - diag(l))
x <- list(I = I, L = layers(files[1:l]))
y <- list(I = I, L = layers(files[(l + 1):(2 * l)]))
cat(format(renette::mpnetdist(x, y, rho = rho), digits = 17), sep = "\n")
