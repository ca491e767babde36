"""Loading, validation and index management for GD Catalog Search."""
