"""Qt item models: thin adapters over rows computed in models/."""
