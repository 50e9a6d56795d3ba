graph
[
  directed 0
  node
  [
    id 0
    name "TP53"
  ]
  edge
  [
    source 0
    target 7
