from setuptools import Extension, setup

# The package's own C code: `pip wheel .` compiles it, so the builder needs a C compiler.
setup(ext_modules=[Extension("adler._adler", sources=["src/adler/_adler.c"])])
