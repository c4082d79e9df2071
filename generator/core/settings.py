"""The plugin's BUDGET_* settings (pelicanconf.py or `pelican -e`), typed, with their defaults.

`BudgetSettings.of(settings)` is the only way the plugin reads them: it is checked once when
Pelican starts, and a BUDGET_* name that is not a field here is an error naming it (a typo
would otherwise be silently ignored).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.core.diagnostics import Issue, Location, issue, suggestion

PREFIX = "BUDGET_"
WHERE = Location("settings")  # pelicanconf.py or an -e override: Pelican does not say which


class SettingsError(Exception):
    """BUDGET_* settings that cannot be used; `issues` say which and why."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(i.format("en") for i in issues))
        self.issues = issues


class BudgetSettings(BaseModel):
    """Field `x` is the setting BUDGET_X."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pdf: bool = True  # render the PDFs; `invoke build --no-pdf` sets it false
    strict: bool = False  # warnings stop the build too (`invoke build --strict`)
    messages_lang: Literal["zh", "en"] = "zh"  # the language of the build's messages
    cache: Path | None = None  # the PDF cache; None: .cache/ beside the content folder
    dir: str = Field("budgets", min_length=1)  # the budget files' folder, under PATH
    profile: str = Field("shanghai-jiading", min_length=1)  # the district format of budgets that name none
    search: bool = True  # index the written site with Pagefind and publish a search page per language
    # the search index in this many parts (a power of two), each indexed on its own (search.py);
    # None: one part per ~SHARD_PAGES document pages, so that an edit re-indexes one part
    search_shards: int | None = Field(None, ge=1, le=64)
    # the site's languages {code: {"html": lang attribute, "name": …}} and extra catalogue folders;
    # generator/i18n.py reads them (None: zh and en)
    languages: dict[str, dict[str, str]] | None = None
    translations: list[Path] = []
    # `invoke build --shard i/n`: render only the i-th of n deterministic parts of the PDFs into the
    # cache (generator/outputs/shard.py); `--assemble`: render none, every PDF must be in the cache
    shard: str | None = Field(None, pattern=r"^[1-9]\d*/[1-9]\d*$")
    assemble: bool = False

    @field_validator("shard")
    @classmethod
    def _shard_in_range(cls, value: str | None) -> str | None:
        if value is not None:
            i, n = (int(x) for x in value.split("/"))
            if i > n:
                raise ValueError(f"shard {i} of {n}: i must be between 1 and n")
        return value

    @classmethod
    def names(cls) -> list[str]:
        return [PREFIX + name.upper() for name in cls.model_fields]

    @classmethod
    def of(cls, settings: Mapping) -> BudgetSettings:
        """The BUDGET_* settings of a Pelican settings dict; SettingsError names every bad one."""
        known = cls.names()
        given = {k: v for k, v in settings.items() if isinstance(k, str) and k.startswith(PREFIX)}
        found = [issue("E601", WHERE, name=k, hint=suggestion(difflib.get_close_matches(k, known, n=1, cutoff=0.6)))
                 for k in sorted(given) if k not in known]
        values = {k.removeprefix(PREFIX).lower(): v for k, v in given.items() if k in known}
        try:
            model = cls(**values)
        except ValidationError as exc:
            for error in exc.errors():
                name = PREFIX + str(error["loc"][0]).upper()
                found.append(issue("E602", WHERE, name=name, value=given.get(name), problem=error["msg"]))
            model = None
        if found or model is None:
            raise SettingsError(found)
        return model

    def cache_dir(self, content: Path | str) -> Path:
        return self.cache or Path(content).parent / ".cache"

    def budgets(self, content: Path | str) -> Path:
        """The folder of the budget files in the content folder `content`."""
        return Path(content) / self.dir
