"""Premium requests: the quota, what a conversation cost, and their words. No Qt, no SDK."""
