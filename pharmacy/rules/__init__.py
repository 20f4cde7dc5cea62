"""Pure prescription rules (no Django): see ``prescriptions``."""
