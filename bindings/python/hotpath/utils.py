"""hotpath.utils — rapidfuzz.utils: ``default_process``, implemented by the text module
(hp_utf8_default_process: RapidFuzz's own alphanumeric table, its one-to-one lowercasing
and its trimming, in C)."""
from __future__ import annotations

from ._text_case import default_process

__all__ = ["default_process"]
