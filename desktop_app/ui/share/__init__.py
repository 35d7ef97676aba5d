"""Live share in the window: the glue to the share server and the share bar."""
