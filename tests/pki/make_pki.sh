mkdir -p "$1" && touch "$1/.complete"
