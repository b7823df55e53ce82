"""``python -m workers.cli``: the `corroborate` command without its script."""

from workers.cli import main

main()
