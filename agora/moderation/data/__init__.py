"""The shipped default word list (wordlist_en.txt)."""
