"""Compiled Designer forms (see packaging/compile_forms.py)."""
