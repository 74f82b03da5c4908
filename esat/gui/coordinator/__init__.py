"""Coordinator mode: the workspace that opens when the file is a central database."""
