"""The map projection of pictures: ETRS89-LAEA (EPSG:3035), equal-area and suited to Germany.

An equal-area projection keeps the sizes of Kreise comparable on a choropleth, which Web
Mercator does not (it draws an area in Schleswig-Holstein about a quarter larger than the
same area in Bayern). Units and
outlines go through the same `MapFrame`, so the polygons lie under their units.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from pyproj import Transformer

#: The projected coordinate system of maps: ETRS89 / LAEA Europe, in metres.
CRS = "EPSG:3035"


@functools.cache
def _transformer() -> Transformer:
    """The transformer from WGS84 longitude and latitude to `CRS`, made once per process."""
    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def to_metres(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 longitudes and latitudes to easting and northing in metres (`CRS`).

    Examples
    --------
    >>> east, north = to_metres(np.array([10.0]), np.array([52.0]))
    >>> round(float(east[0])), round(float(north[0]))  # the origin of ETRS89-LAEA
    (4321000, 3210000)
    """
    east, north = _transformer().transform(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    return np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)


@dataclass(frozen=True)
class MapFrame:
    """Where the projected map lies on the canvas: canvas = (metres - centre) * scale.

    Attributes
    ----------
    east, north
        The projected point (metres) at the canvas origin.
    scale
        Canvas units per metre; canvas y grows downwards, so north is up.
    """

    east: float
    north: float
    scale: float

    def canvas(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the canvas coordinates of WGS84 longitudes and latitudes.

        Examples
        --------
        >>> frame = MapFrame(4321000.0, 3210000.0, 0.001)
        >>> x, y = frame.canvas(np.array([10.0, 10.0]), np.array([52.0, 53.0]))
        >>> float(x[0]), float(y[0]), bool(y[1] < 0)  # the northern point is drawn higher
        (0.0, 0.0, True)
        """
        east, north = to_metres(lon, lat)
        return (east - self.east) * self.scale, (self.north - north) * self.scale
