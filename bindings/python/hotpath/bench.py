"""Placeholder replaced below by the bridge benchmark."""
