"""The shared vocabulary every layer speaks: typed events, the hub, access modes, where answers come
from (targets), notices and their words, errors."""
