"""The employer's own name, logo, colour and privacy notice, shown to candidates."""
