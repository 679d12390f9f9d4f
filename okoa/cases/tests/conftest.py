"""The case screens use the shared `places` and `make_case` fixtures of the root conftest."""
