"""Count the words of text files."""
