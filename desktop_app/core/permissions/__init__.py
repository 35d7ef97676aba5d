"""What a tool may do: the requests described for people, the rule book, the matchers."""
