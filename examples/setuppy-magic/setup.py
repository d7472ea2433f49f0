from setuptools import setup

# Runtime dependencies, read by dockwright from this file's syntax tree (the file is never run).
REQUIRES = [
    "python-magic>=0.4.27",  # pure Python: loads libmagic from the system at import
    "PyJWT[crypto]>=2.8",  # an extra that pulls cryptography
]

setup(
    name="magicweb",
    version="1.0.0",
    description="Sniffs the MIME type of uploaded bytes and signs the verdict",
    packages=["magicweb"],
    install_requires=REQUIRES,
    python_requires=">=3.9",
)
