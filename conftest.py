"""Doctests in netkoop's modules find ``netkoop`` without importing it (networkx: ``nx``)."""

from __future__ import annotations

from typing import Any

import pytest

import netkoop


@pytest.fixture(autouse=True)
def _netkoop_in_doctests(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["netkoop"] = netkoop
