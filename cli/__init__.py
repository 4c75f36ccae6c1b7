"""The `gbfield` command: the composition root.

`cli` may import every package of the project (it wires them together); nothing imports
`cli`. Each sub-command group lives in its own module with a `register(subparsers)`
function that adds its parser and sets `func` to a callable taking the parsed args and
returning the exit code.
"""
