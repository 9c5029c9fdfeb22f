"""The package list: every folder below the code rooms, mapped under ``tongban``.

The top-level rooms carry no ``__init__.py`` (a root ``platform`` or ``graphql`` package would shadow
the standard library and graphql-core), so they are found as namespace packages.
"""
from setuptools import find_namespace_packages, setup

ROOMS = ["platform", "tenants", "configurator", "graphql", "themes", "migrations"]
found = find_namespace_packages(include=[f"{room}*" for room in ROOMS])
setup(packages=["tongban"] + [f"tongban.{name}" for name in found])
