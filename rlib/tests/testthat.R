library(testthat)
library(renette)
test_check("renette")
