"""The setup.py of the small "shop" package the lock tests share: two ranges, alpha>=1 (line 8) and
beta>=2 (line 9), that requirements.txt files in the tests cover or leave out."""

SETUP_PY = """from setuptools import setup

setup(
    name="shop",
    version="1.0",
    packages=["shop"],
    install_requires=[
        "alpha>=1",
        "beta>=2",
    ],
)
"""
