Creator "igraph version 1.3.4.9022 Sun Dec  6 07:50:15 2026"
Version 1
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
  node
  [
    id 2
    name "CDKN1A"
  ]
  node
  [
    id 3
    name "BAX"
  ]
  node
  [
    id 4
    name "ATM"
  ]
  node
  [
    id 5
    name "CHEK2"
  ]
  node
  [
    id 6
    name "GADD45A"
  ]
  node
  [
    id 7
    name "SESN1"
  ]
  edge
  [
    source 1
    target 0
    weight 0.135182
  ]
  edge
  [
    source 2
    target 0
    weight 0.694764
  ]
  edge
  [
    source 3
    target 0
    weight 0.897385
  ]
  edge
  [
    source 5
    target 0
    weight 0.327967
  ]
  edge
  [
    source 2
    target 1
    weight 0.556506
  ]
  edge
  [
    source 3
    target 1
    weight 0.124392
  ]
  edge
  [
    source 5
    target 1
    weight 0.363512
  ]
  edge
  [
    source 7
    target 1
    weight 0.092593
  ]
  edge
  [
    source 3
    target 2
    weight 0.193721
  ]
  edge
  [
    source 6
    target 2
    weight 0.7282
  ]
  edge
  [
    source 4
    target 3
    weight 0.142829
  ]
  edge
  [
    source 5
    target 3
    weight 0.588874
  ]
  edge
  [
    source 5
    target 4
    weight 0.12537
  ]
  edge
  [
    source 6
    target 5
    weight 0.246294
  ]
  edge
  [
    source 7
    target 6
    weight 0.314968
  ]
]
