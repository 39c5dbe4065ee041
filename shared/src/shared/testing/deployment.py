"""What the deployment files are checked against: each service's settings class and the
environment variables it reads (tests/test_deploy.py, tests/test_k8s.py)."""

from __future__ import annotations

import importlib

from pydantic import AliasChoices

from shared.settings import ServiceSettings


def settings_class(name: str) -> type[ServiceSettings]:
    """The settings class of a service: `intake` -> `intake.settings.IntakeSettings`."""
    module = importlib.import_module(f"{name}.settings")
    cls: type[ServiceSettings] = getattr(module, f"{name.capitalize()}Settings")
    assert cls.service_name == name
    return cls


def setting_env_names(cls: type[ServiceSettings]) -> set[str]:
    """Every environment variable the settings class reads."""
    prefix = f"{cls.service_name.upper()}_"
    names: set[str] = set()
    for field_name, field in cls.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, AliasChoices):
            names |= {str(choice).upper() for choice in alias.choices}
        elif isinstance(alias, str):
            names.add(alias.upper())  # an alias is read as written, never prefixed
        else:
            names |= {field_name.upper(), prefix + field_name.upper()}
    return names
