"""Chinese numerals read exactly: 五千七百一十五万 → 57150000, 一千二百三十四点五六 → 1234.56.

cn2an and similar libraries return floats for decimals; money needs Decimal, so this is a
small strict parser of the standard grammar. Anything else (二〇二四, 一一, 十百) is no
numeral and gives None, so it is never read as a claim.
"""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# What a numeral may look like in running text (validated by `parse`): it starts with a digit
# or 十, may carry 万/亿 and one 点 with digits, which may be followed by 万/亿 (一千二百三十四点五六万).
NUMERAL = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+[万亿]?)?"


def _below_10000(text: str) -> int | None:
    """一千零五 → 1005, 十二 → 12, 三 → 3; None when malformed."""
    if not text:
        return None
    total, digit, last_unit, pending_zero = 0, None, 10000, False
    for i, ch in enumerate(text):
        if ch in DIGITS:
            if digit is not None:  # two digits in a row: 一一
                return None
            digit = DIGITS[ch]
            if digit == 0:
                if i == 0 or pending_zero:
                    return None
                pending_zero, digit = True, None
            elif ch == "两" and i == len(text) - 1 and i > 0:  # 一百两 is not written
                return None
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit or (digit is None and not (ch == "十" and i == 0)):
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit, pending_zero = None, unit, False
        else:
            return None
    if digit is not None:
        if last_unit > 10 and total and not pending_zero and last_unit != 10000:
            return None  # 一千五 (colloquial 1500) is ambiguous in a budget: not read
        total += digit
    elif pending_zero:
        return None  # a trailing 零
    return total


def _integer(text: str) -> int | None:
    for mark, factor in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if mark in text:
            high, _, low = text.partition(mark)
            h = _integer(high)
            if h is None:
                return None
            if not low:
                return h * factor
            zero = low.startswith(("零", "〇"))
            rest = _integer(low[1:] if zero else low)
            # 一万零五百 = 10500; without the 零 the next place must be the highest: 一万五千, not 一万五
            if rest is None or rest >= factor or (rest < factor // 10) != zero:
                return None
            return h * factor + rest
    return _below_10000(text)


def parse(text: str) -> Decimal | None:
    """The exact value of a Chinese numeral, or None when `text` is not one."""
    if not re.fullmatch(NUMERAL, text):
        return None
    if text in ("零", "〇"):
        return Decimal(0)
    scale = 1
    if "点" in text:
        if text[-1] in "万亿":
            scale = 10 ** 4 if text[-1] == "万" else 10 ** 8
            text = text[:-1]
        whole, _, decimals = text.partition("点")
        value = _integer(whole) if whole != "零" else 0
        if value is None:
            return None
        fraction = "".join(str(DIGITS[ch]) for ch in decimals)
        return Decimal(f"{value}.{fraction}") * scale
    value = _integer(text)
    return None if value is None else Decimal(value)
