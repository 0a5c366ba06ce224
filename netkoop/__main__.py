"""Run the command line as ``python -m netkoop``."""

from netkoop.cli import main

main(prog_name="netkoop")
