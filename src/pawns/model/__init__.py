"""The model: parameters, layout, state and the equations (``pawns.model.equations``)."""
