"""Greetings shared by the workspace's members."""


def greet(name: str) -> str:
    return f"hello, {name}"
