"""``python -m locflow``."""

from locflow.cli import main

main()
