"""The basic value types of the budget format: amounts, codes, years, slugs and bilingual texts.

Part of the format's single definition (generator.load.model re-exports them).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_serializer, model_validator
from pydantic_core import PydanticCustomError

from generator.core import vocab

# ---------------------------------------------------------------- basic types

MAX_AMOUNT = Decimal("9999999999999.99")
"""The largest amount a file may hold (just under 10万亿元): far above any department's budget,
and small enough that every sum stays exact in Decimal's default 28 digits."""

Money = Annotated[
    Decimal,
    Field(ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": 0,
            "maximum": 9999999999999.99,
            # no "multipleOf": 0.01 here: editors test it in floating point and reject 19.99
            "description": "金额，单位：元，最多两位小数 / amount in yuan, at most 2 decimals",
        }
    ),
]


def _code(digits: int, what: str) -> object:
    # YAML editors read an unquoted code as a number, so the schema accepts both; the loader
    # always keeps the digits exactly as typed.
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": rf"^\d{{{digits}}}$"},
                {"type": "integer", "minimum": 10 ** (digits - 1), "maximum": 10**digits - 1},
            ],
            "description": what,
        }
    )


FunctionCode = Annotated[
    str,
    Field(pattern=r"^\d{7}$"),
    _code(7, "支出功能分类科目【项】级编码，7位，如 2120199 / functional classification code at 项 level (7 digits)"),
]
EconomicCode = Annotated[
    str,
    Field(pattern=r"^\d{5}$"),
    _code(5, "部门预算支出经济分类科目【款】级编码，5位，如 30201 / economic classification code at 款 level (5 digits)"),
]


def _year_digits(value: object) -> object:
    # int("2024.0"), int("02024"), int("+2024"), int("2_024") are all 2024: a year spelled so
    # would pass as a second file for the same year. Quotes are fine ("2024": the text is 2024).
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}", value):
        raise PydanticCustomError("year_digits", "the year must be written as 4 digits")
    return value


Year = Annotated[int, Field(ge=2000, le=2100), BeforeValidator(_year_digits)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]

Source = Literal[vocab.typed_sources()]
"""Funding source of an expenditure line (vocab.SOURCES). Income by source is derived from these tags."""
UnitKind = Literal[tuple(k.key for k in vocab.UNIT_KINDS)]
OtherKind = Literal[tuple(k.typed for k in vocab.other_spending_kinds())]




class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


PENDING = "en"
"""The one language a text may leave to translate later (`pending: en`): the Chinese is the original."""


class Text(Strict):
    """A human-readable text in both languages. Markdown; figures as {{placeholders}}.

    A text whose English is not written yet says so: `{zh: …, pending: en}` (no `en`). `check`
    warns (W246), `check --strict` refuses it, the Chinese pages publish it, and the English pages
    show the Chinese with a notice that it is not yet translated.
    """

    model_config = ConfigDict(extra="forbid", frozen=True,
                              json_schema_extra={"oneOf": [{"required": ["en"]}, {"required": ["pending"]}]})

    zh: NonEmpty = Field(description="中文")
    en: NonEmpty | None = Field(
        None, description="English（尚未翻译时不写，改写 pending: en） / English (or `pending: en` until translated)"
    )
    pending: Literal["en"] | None = Field(
        None, description="英文尚未翻译：写 pending: en，不写 en / the English is not written yet",
        json_schema_extra={"const": "en"},
    )

    @model_validator(mode="after")
    def _english_or_pending(self) -> Text:
        if self.en is None and self.pending is None:
            raise PydanticCustomError("text_no_english", "English missing: write `en`, or `pending: en`")
        if self.en is not None and self.pending is not None:
            raise PydanticCustomError("text_pending_written", "`en` is written: remove `pending: en`")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        """As written: a translated text dumps as {zh, en}, a pending one as {zh, pending}."""
        data = handler(self)
        for key in ("en", "pending"):
            if isinstance(data, dict) and data.get(key) is None:
                data.pop(key, None)
        return data

    def __iter__(self):  # dict(text): the languages written, and the mark when pending
        yield from ((k, v) for k, v in super().__iter__() if v is not None)

    @property
    def is_pending(self) -> bool:
        """The English is still to be written."""
        return self.pending is not None

    def lang(self, lang: str) -> str | None:
        """The text in `lang` as written; None for a pending English."""
        return getattr(self, lang, None)

    @property
    def english(self) -> str:
        """The English, or (pending) the Chinese it will translate."""
        return self.en if self.en is not None else self.zh
