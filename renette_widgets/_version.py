"""The package version (its own module, so anything can import it without cycles)."""
__version__ = "0.1.0"
