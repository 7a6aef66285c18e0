"""The network model and the counting engine (stage 1 of the flow)."""
