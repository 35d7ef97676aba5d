"""The shared vocabulary every layer speaks: typed events, the hub, access modes, notices, errors."""
