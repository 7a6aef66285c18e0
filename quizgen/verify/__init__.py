"""Verification: every answer checked by the engine and sympy; optionally by PyTorch."""
