"""Where each row of a long conversation sits, and what a find matches, without Qt."""
