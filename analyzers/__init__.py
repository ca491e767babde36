"""Thai text processing shared by the indexer and the portal's query path."""
