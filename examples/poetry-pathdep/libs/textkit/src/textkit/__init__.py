"""Text helpers shared by the libraries of the monorepo."""


def shout(text: str) -> str:
    return text.upper() + "!"
