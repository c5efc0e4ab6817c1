"""What the personal-data app adds to the road map's registries."""
