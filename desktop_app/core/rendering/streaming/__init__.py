"""Rendering text that is still arriving: stable blocks, the streamed tail, fences, the throttle."""
