"""The GitHub account in the window: the sign-in window, the account button, the usage gauge."""
