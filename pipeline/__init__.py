"""nlbrief: Dutch news into English."""

__version__ = "0.1.0"
