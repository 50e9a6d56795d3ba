# Input errors as classed conditions (R/input-error.R).

test_that("input_error signals a renette_input_error with the pasted message", {
  f <- function() renette:::input_error("bad ", 3, " things")
  e <- expect_error(f(), class = "renette_input_error")
  expect_identical(conditionMessage(e), "bad 3 things")
  expect_s3_class(e, c("renette_input_error", "error", "condition"), exact = TRUE)
})

test_that("name_list keeps messages short for wide data", {
  expect_identical(renette:::name_list(c("a", "b")), "a, b")
  expect_identical(renette:::name_list(paste0("v", 1:10), max = 3), "v1, v2, v3 and 7 more")
})
