"""The user's GitHub account in the CLI: signing in through the browser, the accounts, signing out."""
