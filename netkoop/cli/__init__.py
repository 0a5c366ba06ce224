"""The ``netkoop`` command line: thin commands over the library, one module per command group."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

import click

from netkoop._errors import NetkoopError, NetkoopWarning, ScenarioError
from netkoop._version import __version__
from netkoop.cli import (
    compare_command,
    data_commands,
    metrics_command,
    recommend_command,
    render_command,
    report_command,
    scenario_commands,
    simulate_command,
    survey_commands,
    timeline_command,
)
from netkoop.cli.output import clean, print_problems


class _Group(click.Group):
    """Turns netkoop's own errors into an ``Error:`` line (or the problem list) and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NetkoopWarning)
            try:
                return self._invoke(ctx)
            finally:
                # A scenario read twice (compare, simulate) warns once.
                for message in dict.fromkeys(str(w.message) for w in caught):
                    click.echo(f"Warning: {clean(message)}", err=True)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScenarioError as exc:
            click.echo(f"Error: {clean(exc.source)}: the scenario is not valid", err=True)
            print_problems(exc.problems, err=True)
            ctx.exit(1)
        except NetkoopError as exc:
            click.echo(f"Error: {clean(exc)}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # The reader of our output went away (e.g. `| head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:
            target = f" {exc.filename}" if exc.filename else ""
            click.echo(
                f"Error: cannot access{clean(target)}: {clean(exc.strerror or exc)}", err=True
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netkoop")
def main() -> None:
    """Networks of inter-municipal cooperation in integration policy.

    Describe Kommunen, their ties and commuter flows in a scenario file, check it, look at it
    and ask what-if questions. Every command takes a scenario file, a scenario folder or the
    name of a bundled scenario (see `netkoop scenarios`).

    Example: netkoop info beispielregion
    """


for command in (
    *scenario_commands.COMMANDS,
    *data_commands.COMMANDS,
    *metrics_command.COMMANDS,
    *render_command.COMMANDS,
    *report_command.COMMANDS,
    *compare_command.COMMANDS,
    *simulate_command.COMMANDS,
    *timeline_command.COMMANDS,
    *recommend_command.COMMANDS,
    *survey_commands.COMMANDS,
):
    main.add_command(command)
