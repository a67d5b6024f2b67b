"""Vietnamese language layer: normalisation, numbers, codes, procedures, Rasa components."""
