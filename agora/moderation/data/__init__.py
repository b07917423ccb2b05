"""The shipped default word lists, one per language: wordlist_<language>.txt."""
