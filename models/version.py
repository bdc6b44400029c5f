"""The one version of Relance: pyproject.toml's, read back through the installed metadata."""

from __future__ import annotations

from importlib import metadata

from models.resources import resources_dir

DIST_NAME = "relance"


def app_version() -> str:
    """'0.1.0': the installed distribution's version (the bundle carries its metadata too).

    A source checkout that was never installed reads pyproject.toml beside it instead.
    """
    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return _pyproject_version()


def _pyproject_version() -> str:
    """The `version = "..."` of pyproject.toml's [project] table, at the checkout's root."""
    import tomllib

    pyproject = resources_dir().parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "inconnue"
