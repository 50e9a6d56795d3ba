graph
[
  directed 0
  node
  [
    id 0
    name "TP53"
  ]
  node
  [
    id 1
    name "MDM2"
  ]
  edge
  [
    source 0
    target 1
    score 0.8
  ]
]
