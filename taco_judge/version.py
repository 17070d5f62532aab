"""The version of taco-judge (one place: the package, the run record, the store and the runner hello read it)."""

__version__ = "0.1.0"
