"""Who is who in the views: the regions and themes, their names, and their chapters.

The ids and names of the regions and themes are read here and nowhere else in the views. They come
from :mod:`handbook.catalogue`: the chapters' file names, headings and front matter, the names in
the edition's language.
"""

from __future__ import annotations

import re

import yaml
from sphinx.environment import BuildEnvironment

from ..catalogue import chapters


def region_names(env: BuildEnvironment) -> dict[str, str]:
    """Region id -> full name ("Region Skåne"), in the book's order."""
    return {region.id: region.name for region in chapters(env, "regions")}


def theme_names(env: BuildEnvironment) -> dict[str, str]:
    """Theme id -> full name, in the book's order."""
    return {theme.id: theme.name for theme in chapters(env, "themes")}


def short_region_names(env: BuildEnvironment) -> dict[str, str]:
    """Region id -> short name for the matrix's rows ("Skåne"), in the book's order."""
    return {region.id: region.short for region in chapters(env, "regions")}


def short_theme_names(env: BuildEnvironment) -> dict[str, str]:
    """Theme id -> short name for the matrix's columns ("China"), in the book's order."""
    return {theme.id: theme.short for theme in chapters(env, "themes")}


def ids(meta: dict, key: str) -> list[str]:
    """A front-matter list of ids; Sphinx keeps ``[a, b]`` in ``env.metadata`` as a string."""
    value = meta.get(key, [])
    value = yaml.safe_load(value) if isinstance(value, str) else value
    return value if isinstance(value, list) else []


def split_ids(value: str) -> list[str]:
    """Ids written in a directive option or a citation, separated by commas or spaces."""
    return [v for v in re.split(r"[\s,]+", value.strip()) if v]


def theme_chapters(metadata: dict[str, dict]) -> dict[str, str]:
    """Theme id -> the docname of its chapter."""
    return {ids(meta, "themes")[0]: doc for doc, meta in metadata.items()
            if meta.get("kind") == "theme" and ids(meta, "themes")}
