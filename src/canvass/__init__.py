"""canvass: offline canvassing, petitions and campaign printing."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("canvass")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
