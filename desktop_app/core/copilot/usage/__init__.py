"""Premium usage from the CLI: the quota (account and session level), a session's cost, and the
answer to a session limit; ``keeper.QuotaKeeper`` holds the freshest reading for every window."""
