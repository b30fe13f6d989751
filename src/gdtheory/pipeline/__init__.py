"""The build: chapters and their parameters, content hashes, papermill, pages, rendering."""
