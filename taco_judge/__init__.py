"""taco-judge: a sandboxed judge for machine-generated code on TACO."""

__version__ = "0.1.0"
