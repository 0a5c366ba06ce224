"""Where a command's worker processes run: the cores of this machine or a Dask cluster.

The library hands its parallel work to `joblib.Parallel` without naming a backend (the runs of
`simulate`, the shortest paths of betweenness and closeness); the options here choose it for
the length of a command: ``--backend`` among joblib's local ones, or ``--cluster ADDRESS``, a
running Dask scheduler, through joblib's ``dask`` backend.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import click

#: joblib's local backends: processes (loky, multiprocessing) or threads.
BACKENDS = ("loky", "threading", "multiprocessing")

#: Seconds to wait for the Dask scheduler of ``--cluster`` to answer.
CONNECT_SECONDS = 10

CLUSTER_HELP = (
    "Run the workers on the Dask cluster whose scheduler is at ADDRESS, e.g. "
    "tcp://10.0.0.5:8786 (needs pip install 'netkoop[cluster]'); --jobs -1 then uses every "
    "core of the cluster."
)


def jobs_option(what: str) -> Callable[[Any], Any]:
    """The ``--jobs`` option; ``what`` names the work the workers share."""
    return click.option(
        "--jobs",
        type=click.IntRange(min=-1),
        default=1,
        show_default=True,
        help=f"Worker processes for {what}; -1 uses every core. The results do not depend on it.",
    )


def backend_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--backend`` and ``--cluster``; the command runs inside `workers` with them."""

    @functools.wraps(command)
    def with_workers(*, backend: str, cluster: str | None, **kwargs: Any) -> Any:
        with workers(backend, cluster):
            return command(**kwargs)

    with_workers = click.option(
        "--backend",
        type=click.Choice(BACKENDS),
        default="loky",
        show_default=True,
        help="joblib backend of the workers on this machine.",
    )(with_workers)
    return click.option("--cluster", metavar="ADDRESS", help=CLUSTER_HELP)(with_workers)


@contextlib.contextmanager
def workers(backend: str, cluster: str | None) -> Iterator[None]:
    """Send the joblib work of the block to ``backend``, or to the Dask cluster at ``cluster``.

    Raises
    ------
    click.UsageError
        When ``cluster`` is given without the ``distributed`` package, or together with a
        backend other than the default.
    click.ClickException
        When no Dask scheduler answers at ``cluster``.
    """
    import joblib

    if cluster is None:
        with joblib.parallel_config(backend=backend):
            yield
        return
    if backend != "loky":
        raise click.UsageError("--cluster runs the workers on Dask; leave out --backend")
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError(
            "--cluster needs Dask's client; install it with pip install 'netkoop[cluster]'"
        ) from None
    try:
        # distributed has no annotations on its Client
        client = Client(cluster, timeout=CONNECT_SECONDS, set_as_default=True)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise click.ClickException(
            f"--cluster {cluster}: no Dask scheduler answers there ({exc}); start one with "
            "'dask scheduler' and give the address it prints, e.g. tcp://10.0.0.5:8786"
        ) from None
    with client, joblib.parallel_config(backend="dask"):
        yield
