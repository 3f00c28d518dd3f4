"""The ensemble engine: draws members, integrates them together, assembles labelled results."""
