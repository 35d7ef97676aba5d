"""Tool calls and approvals: the tool panel, the permission card, the rules list."""
