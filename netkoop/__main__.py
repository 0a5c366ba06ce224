"""Run the command line as ``python -m netkoop``."""

from netkoop.cli import main

if __name__ == "__main__":
    main(prog_name="netkoop")
