"""Run netkoop from a checkout without installing it: ``python cli.py --help``."""

from netkoop.cli import main

if __name__ == "__main__":
    main(prog_name="netkoop")
