"""Renderers: they read problems and write files; they never compute an answer."""
