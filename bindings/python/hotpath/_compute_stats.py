"""Reductions and statistics (being written this session)."""
from __future__ import annotations

__all__: list = []
