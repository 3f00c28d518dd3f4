"""The area of a DeepState map snapshot: the geodesic area of the union of its occupied polygons.

Snapshots are GeoJSON FeatureCollections in CRS84 (longitude, latitude in degrees) as archived by
cyterat/deepstate-map-data, one file a day (``deepstatemap_data_YYYYMMDD.geojson``); each
(Multi)Polygon feature is an occupied area. Polygons may overlap, so they are merged first; the
area is measured on the WGS84 ellipsoid (pyproj's ``Geod``), not on a flat projection.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from pawns.errors import PawnsError

M2_PER_KM2 = 1e6
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# CRS84 and the names GeoJSON writers use for the same (lon, lat) degrees.
CRS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84", "CRS84",
               "urn:ogc:def:crs:EPSG::4326", "EPSG:4326")
# A box around Ukraine, generous by a degree or two: polygons outside it are not this map's
# (or have latitude and longitude swapped).
UKRAINE_BOX = (20.0, 43.0, 42.0, 54.0)  # lon min, lat min, lon max, lat max
_DATE_IN_NAME = re.compile(r"(20\d{2})(\d{2})(\d{2})")


class SnapshotError(PawnsError):
    """A DeepState snapshot file cannot be read as one (one line naming the file)."""

    def __init__(self, path: Path, expected: str, got: object | None = None) -> None:
        message = f"{path}: expected {expected}"
        if got is not None:
            message += f", got {got!r}"
        super().__init__(message)


def snapshot_date(path: Path) -> dt.date:
    """The day of a snapshot, from its file name (``deepstatemap_data_20241001.geojson`` -> 2024-10-01)."""
    match = _DATE_IN_NAME.search(path.name)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise SnapshotError(path, "a file name holding the snapshot's day as YYYYMMDD, like deepstatemap_data_20241001.geojson", path.name)


def occupied_area_km2(path: Path) -> float:
    """Geodesic area (km², WGS84) of the union of the occupied polygons of the snapshot at ``path``.

    Raises
    ------
    SnapshotError
        If the file is not GeoJSON, not a FeatureCollection in CRS84, has no polygon, or its
        polygons are malformed or lie outside Ukraine's region.
    """
    import shapely
    from pyproj import Geod
    from shapely.geometry import shape
    from shapely.geometry.polygon import orient

    collection = _read_collection(path)
    geometries = []
    for index, feature in enumerate(collection["features"]):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
            continue  # points, lines or empty features mark places, not occupied areas
        try:
            geometries.append(shapely.make_valid(shape(geometry)))
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as exc:
            raise SnapshotError(path, f"feature {index}: a (Multi)Polygon with [longitude, latitude] rings", str(exc)) from None
    if not geometries:
        raise SnapshotError(path, "at least one Polygon or MultiPolygon feature (the occupied areas)", "none")
    union = shapely.union_all(geometries)
    polygons = [g for g in getattr(union, "geoms", [union]) if g.geom_type in POLYGON_TYPES]
    polygons = [p for g in polygons for p in getattr(g, "geoms", [g])]
    lon_min, lat_min, lon_max, lat_max = union.bounds
    box = UKRAINE_BOX
    if not (box[0] <= lon_min and lat_min >= box[1] and lon_max <= box[2] and lat_max <= box[3]):
        raise SnapshotError(path, f"polygons inside Ukraine's region (longitude {box[0]:g}..{box[2]:g}, latitude {box[1]:g}..{box[3]:g}, "
                                  "in that order)", f"longitude {lon_min:.2f}..{lon_max:.2f}, latitude {lat_min:.2f}..{lat_max:.2f}")
    geod = Geod(ellps="WGS84")
    # Counter-clockwise shells and clockwise holes: pyproj then gives each polygon's area with its holes removed.
    area_m2 = sum(geod.geometry_area_perimeter(orient(polygon, sign=1.0))[0] for polygon in polygons)
    return area_m2 / M2_PER_KM2


def _read_collection(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotError(path, "a readable GeoJSON file", str(exc)) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise SnapshotError(path, "a GeoJSON FeatureCollection", data.get("type") if isinstance(data, dict) else type(data).__name__)
    crs = data.get("crs")
    if crs is not None:
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if name not in CRS84_NAMES:
            raise SnapshotError(path, "coordinates in CRS84 (longitude, latitude in degrees)", name)
    return data
